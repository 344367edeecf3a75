package dev.hearth.llm.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.ToolCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class OllamaChatRequestBodyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void leavesEverythingUnsetOutSoTheModelfileDefaultsApply() {
        JsonNode body = OllamaChatRequestBody.from(request().build(), json);

        assertFalse(body.has("options"));
        assertFalse(body.has("keep_alive"));
        assertFalse(body.has("think"));
        assertFalse(body.has("tools"));
    }

    @Test
    void takesNumericOptionsAsNumbersAndKeepAliveSecondsAsANumber() {
        GenerateRequest.Builder request = request();
        request.getProviderBuilder().putOptions("num_ctx", "32768").putOptions("top_k", "40").putOptions("seed", "7")
                .putOptions("min_p", "0.05").putOptions("repeat_penalty", "1.1").putOptions("keep_alive", "-1")
                .putOptions("think", "low").putOptions("unrelated", "ignored");

        JsonNode body = OllamaChatRequestBody.from(request.build(), json);

        assertEquals(32768, body.at("/options/num_ctx").asInt());
        assertEquals(40, body.at("/options/top_k").asInt());
        assertEquals(7, body.at("/options/seed").asInt());
        assertEquals(0.05, body.at("/options/min_p").asDouble());
        assertEquals(1.1, body.at("/options/repeat_penalty").asDouble());
        assertThat(body.get("keep_alive").isNumber()).isTrue();
        assertEquals(-1, body.get("keep_alive").asInt());
        assertEquals("low", body.get("think").asText());
        assertFalse(body.at("/options").has("unrelated"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({ "num_ctx, 8k", "num_ctx, 1.5", "seed, x", "min_p, a lot" })
    void refusesOptionsThatAreNotNumbers(String option, String value) {
        GenerateRequest.Builder request = request();
        request.getProviderBuilder().putOptions(option, value);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> OllamaChatRequestBody.from(request.build(), json));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains(option).contains(value);
    }

    @Test
    void refusesToolCallArgumentsThatAreNotAJsonObject() {
        GenerateRequest request = request().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                .addToolCalls(ToolCall.newBuilder().setId("c1").setName("get_weather").setArgumentsJson("[1,2]")))
                .build();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> OllamaChatRequestBody.from(request, json));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("messages[1].tool_calls[0]").contains("get_weather");
    }

    @Test
    void refusesAToolResultThatNamesNeitherItsCallNorItsTool() {
        GenerateRequest request = request().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL)
                .setContent("42")).build();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> OllamaChatRequestBody.from(request, json));

        assertThat(e.getStatus().getDescription()).contains("messages[1]").contains("tool_call_id");
    }

    @Test
    void refusesAMessageWithoutARole() {
        GenerateRequest request = request().addMessages(ChatMessage.newBuilder().setContent("who am I?")).build();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> OllamaChatRequestBody.from(request, json));

        assertThat(e.getStatus().getDescription()).contains("messages[1] has no role");
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setProvider(ProviderRef.newBuilder().setDialect("ollama"))
                .setModel("llama3.2")
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("hi"));
    }
}
