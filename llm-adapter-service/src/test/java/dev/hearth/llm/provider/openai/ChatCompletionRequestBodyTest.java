package dev.hearth.llm.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class ChatCompletionRequestBodyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesAWholeToolConversation() throws Exception {
        GenerateRequest request = GenerateRequest.newBuilder()
                .setProvider(ProviderRef.newBuilder().setDialect("openai"))
                .setModel("gpt-4o-mini")
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_SYSTEM).setContent("Be brief."))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("Weather?").setName("anna"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                        .addToolCalls(ToolCall.newBuilder().setId("call_1").setName("get_weather")
                                .setArgumentsJson("{\"city\":\"Paris\"}")))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call_1").setContent("18°C"))
                .setParams(GenerationParams.newBuilder().setTemperature(0.2).setTopP(0.9).setMaxTokens(256)
                        .addStop("\n\n"))
                .addTools(ToolSpec.newBuilder().setName("get_weather").setDescription("Current weather")
                        .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
                .build();

        JsonNode body = ChatCompletionRequestBody.from(request, json);

        assertEquals(json.readTree("""
                {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},
                 "messages":[
                   {"role":"system","content":"Be brief."},
                   {"role":"user","content":"Weather?","name":"anna"},
                   {"role":"assistant","content":null,"tool_calls":[
                     {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1","content":"18°C"}],
                 "temperature":0.2,"top_p":0.9,"max_tokens":256,"stop":["\\n\\n"],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
                """), body);
    }

    @Test
    void leavesUnsetParametersOutAndHonoursProviderOptions() {
        GenerateRequest request = GenerateRequest.newBuilder()
                .setProvider(ProviderRef.newBuilder().putOptions("include_usage", "false")
                        .putOptions("max_tokens_field", "max_completion_tokens"))
                .setModel("o3-mini")
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("hi"))
                .setParams(GenerationParams.newBuilder().setMaxTokens(100))
                .build();

        JsonNode body = ChatCompletionRequestBody.from(request, json);

        assertFalse(body.has("stream_options"));
        assertFalse(body.has("temperature"));
        assertFalse(body.has("max_tokens"));
        assertEquals(100, body.get("max_completion_tokens").asInt());
    }

    @Test
    void refusesAToolResultWithoutItsCallId() {
        GenerateRequest request = GenerateRequest.newBuilder().setModel("m")
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setContent("42")).build();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ChatCompletionRequestBody.from(request, json));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }
}
