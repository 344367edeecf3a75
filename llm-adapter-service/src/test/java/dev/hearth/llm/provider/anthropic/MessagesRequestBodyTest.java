package dev.hearth.llm.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class MessagesRequestBodyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void mergesTurnsOfOneRoleAndPutsToolResultsFirst() throws Exception {
        GenerateRequest request = request()
                .addMessages(message(Role.ROLE_USER, "Turn on the light."))
                .addMessages(message(Role.ROLE_USER, ""))
                .addMessages(message(Role.ROLE_ASSISTANT, "On it."))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                        .addToolCalls(ToolCall.newBuilder().setId("toolu_1").setName("set_light")))
                .addMessages(message(Role.ROLE_USER, "Quickly!"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("toolu_1"))
                .build();

        JsonNode body = MessagesRequestBody.from(request, null, 4096, json);

        assertEquals(json.readTree("""
                [{"role":"user","content":[{"type":"text","text":"Turn on the light."}]},
                 {"role":"assistant","content":[{"type":"text","text":"On it."},
                   {"type":"tool_use","id":"toolu_1","name":"set_light","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1"},
                   {"type":"text","text":"Quickly!"}]}]
                """), body.get("messages"));
    }

    @Test
    void maxTokensComesFromParamsThenTheProviderOptionThenConfiguration() {
        GenerateRequest.Builder request = request().addMessages(message(Role.ROLE_USER, "Hi"));
        assertEquals(1000, MessagesRequestBody.from(request.build(), null, 1000, json).get("max_tokens").asInt());

        request.getProviderBuilder().putOptions("max_tokens", "8192").putOptions("top_k", "5");
        JsonNode withOption = MessagesRequestBody.from(request.build(), null, 1000, json);
        assertEquals(8192, withOption.get("max_tokens").asInt());
        assertEquals(5, withOption.get("top_k").asInt());

        request.setParams(GenerationParams.newBuilder().setMaxTokens(64));
        assertEquals(64, MessagesRequestBody.from(request.build(), null, 1000, json).get("max_tokens").asInt());
    }

    @Test
    void sendsTheTrimmedPrefillAsTheLastAssistantText() {
        GenerateRequest request = request().addMessages(message(Role.ROLE_USER, "Hi"))
                .addMessages(message(Role.ROLE_ASSISTANT, "Hello\u00a0\n")).build();

        JsonNode body = MessagesRequestBody.from(request, Prefill.of("Hello\u00a0\n"), 1000, json);

        assertEquals("Hello", body.at("/messages/1/content/0/text").asText());
        assertEquals("\u00a0\n", Prefill.of("Hello\u00a0\n").cutWhitespace());
    }

    @Test
    void badInputIsAnInvalidArgumentThatSaysWhere() {
        assertInvalid(request().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                .addToolCalls(ToolCall.newBuilder().setId("toolu_1").setName("f").setArgumentsJson("[1,2]"))),
                "messages[0].tool_calls[0] (f) arguments_json must be a JSON object");
        assertInvalid(request().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                .addToolCalls(ToolCall.newBuilder().setId("toolu_1").setName("f").setArgumentsJson("{\"a\":"))),
                "messages[0].tool_calls[0] (f) arguments_json is not JSON");
        assertInvalid(request().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setContent("18°C")),
                "messages[0] has role tool but no tool_call_id");
        assertInvalid(request().addMessages(message(Role.ROLE_SYSTEM, "Only a system prompt")),
                "no user or assistant content");
        assertInvalid(request().addMessages(message(Role.ROLE_USER, "Hi"))
                .addTools(ToolSpec.newBuilder().setName("f").setInputSchemaJson("\"string\"")),
                "tools[0] (f) input_schema_json must be a JSON object");
        GenerateRequest.Builder badOption = request().addMessages(message(Role.ROLE_USER, "Hi"));
        badOption.getProviderBuilder().putOptions("max_tokens", "lots");
        assertInvalid(badOption, "provider option max_tokens must be a whole number of at least 1, not 'lots'");
    }

    private void assertInvalid(GenerateRequest.Builder request, String message) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> MessagesRequestBody.from(request.build(), null, 1000, json));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains(message);
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setProvider(ProviderRef.newBuilder().setDialect("anthropic"))
                .setModel("claude-sonnet-4-5");
    }

    private static ChatMessage message(Role role, String content) {
        return ChatMessage.newBuilder().setRole(role).setContent(content).build();
    }
}
