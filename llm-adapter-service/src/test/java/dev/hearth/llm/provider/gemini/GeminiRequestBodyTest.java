package dev.hearth.llm.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

class GeminiRequestBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASK = "Continue it exactly where it stops.";

    @Test
    void aSchemaKeepsWhatJsonSchemaSaysAndLosesOnlyTheDraftMarker() throws Exception {
        String schema = """
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                 "properties":{"$schema":{"type":"string"},"when":{"$ref":"#/$defs/time"},
                   "tags":{"type":"array","items":{"$schema":"x","type":"string"}}},
                 "$defs":{"time":{"$schema":"x","anyOf":[{"type":"string"},{"type":"null"}]}}}""";

        JsonNode sent = body(request().addTools(ToolSpec.newBuilder().setName("plan").setInputSchemaJson(schema)))
                .at("/tools/0/functionDeclarations/0/parametersJsonSchema");

        assertFalse(sent.has("$schema"));
        assertEquals(JSON.readTree("{\"type\":\"string\"}"), sent.at("/properties/$schema"), "a property named $schema stays");
        assertFalse(sent.at("/properties/tags/items").has("$schema"));
        assertFalse(sent.at("/$defs/time").has("$schema"));
        assertEquals("#/$defs/time", sent.at("/properties/when/$ref").asText(), "$ref and $defs are JSON Schema Gemini reads");
    }

    @Test
    void aSchemaThatIsNotAnObjectIsRefusedClearly() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> body(request()
                .addTools(ToolSpec.newBuilder().setName("count").setInputSchemaJson("{\"type\":\"integer\"}"))));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("tools[0] (count)").contains("must describe an object");
    }

    @Test
    void aToolNameGeminiCannotTakeIsRefusedClearly() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> body(request().addTools(ToolSpec.newBuilder().setName("9 lives"))));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("'9 lives'").contains("Gemini function name");
    }

    @Test
    void argumentsThatAreNotAnObjectAreWrappedNotRefused() {
        JsonNode call = body(request().addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                .addToolCalls(ToolCall.newBuilder().setId("c1").setName("echo").setArgumentsJson("[1, 2"))))
                .at("/contents/1/parts/0/functionCall");

        assertEquals("{\"arguments\":\"[1, 2\"}", call.get("args").toString());
    }

    @Test
    void aToolResultNeedsToSayWhichFunctionItAnswers() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> body(request()
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("unknown").setContent("42"))));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("messages[1]").contains("name");
    }

    @Test
    void aJsonResultThatIsNotAnObjectIsWrappedAsJson() {
        JsonNode response = body(request()
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setName("count").setContent("[1,2]")))
                .at("/contents/0/parts/1/functionResponse/response");

        assertEquals("{\"result\":[1,2]}", response.toString());
    }

    @Test
    void continuingInAUserTurnPutsTheAskAfterThePartialAnswer() {
        ObjectNode body = GeminiRequestBody.from(request().addMessages(GeminiRequests.assistant("Once upon"))
                .setContinueFinalMessage(true).build(), JSON, true, ASK);

        assertEquals("[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Once upon\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"" + ASK + "\"}]}]", body.get("contents").toString());
        assertFalse(body.has("systemInstruction"));
    }

    @Test
    void anUnknownContinueModeIsRefused() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> GeminiRequestBody.ContinueMode.of(java.util.Map.of("continue_mode", "guess")));

        assertThat(e.getStatus().getDescription()).contains("continue_mode");
    }

    @Test
    void badOptionsAreRefusedClearly() {
        GenerateRequest.Builder request = request();
        request.getProviderBuilder().putOptions("thinking_budget", "lots");

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> body(request));

        assertThat(e.getStatus().getDescription()).contains("thinking_budget").contains("'lots'");
    }

    @Test
    void onlySystemMessagesIsNotAConversation() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> body(GenerateRequest.newBuilder().addMessages(Requests.system("Be brief."))));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setModel("m").setProvider(ProviderRef.newBuilder().setDialect("gemini"))
                .addMessages(Requests.user("Hi"));
    }

    private static ObjectNode body(GenerateRequest.Builder request) {
        return GeminiRequestBody.from(request.build(), JSON, false, ASK);
    }
}
