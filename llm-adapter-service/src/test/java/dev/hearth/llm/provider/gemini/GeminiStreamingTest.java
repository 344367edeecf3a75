package dev.hearth.llm.provider.gemini;

import static dev.hearth.llm.testsupport.FakeGeminiUpstream.byteOffset;
import static dev.hearth.llm.testsupport.FakeGeminiUpstream.cut;
import static dev.hearth.llm.testsupport.GeminiChunks.finish;
import static dev.hearth.llm.testsupport.GeminiChunks.functionCall;
import static dev.hearth.llm.testsupport.GeminiChunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.llm.testsupport.CancellableCall;
import dev.hearth.llm.testsupport.FakeGeminiUpstream;
import dev.hearth.llm.testsupport.FakeGeminiUpstream.Ending;
import dev.hearth.llm.testsupport.FakeGeminiUpstream.Reply;
import dev.hearth.llm.testsupport.FakeGeminiUpstreamResource;
import dev.hearth.llm.testsupport.GeminiChunks;
import dev.hearth.llm.testsupport.InjectFakeGeminiUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolCallDelta;
import dev.hearth.proto.v1.ToolSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The gemini dialect against a fake Gemini API speaking its wire format, called over real gRPC. */
@QuarkusTest
@WithTestResource(value = FakeGeminiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class GeminiStreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeGeminiUpstream
    FakeGeminiUpstream upstream;

    @ParameterizedTest(name = "line ending {0}")
    @ValueSource(strings = { "\r\n", "\n" })
    void streamsTextCutAnywhereOnTheWire(String newline) {
        String model = newline.length() == 2 ? "split-crlf" : "split-lf";
        String wire = (text("Café") + text(" au lait 🔥") + finish("STOP", " ok", 9, 3))
                .replace(GeminiChunks.EOL, newline);
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, cut(wire,
                byteOffset(wire, "Café", 2), // inside a data: line, before the é
                byteOffset(wire, "é", 1), // between the two bytes of é
                byteOffset(wire, "🔥", 2), // in the middle of a 4-byte character
                byteOffset(wire, "data:", 3), // inside the field name of the first event
                byteOffset(wire, " ok", 0) - 1))); // inside the last event's JSON

        List<GenerateEvent> events = generate(GeminiRequests.gemini(upstream, model).build());

        assertEquals(List.of("Café", " au lait 🔥", " ok"), Requests.texts(events));
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_STOP, done.getFinishReason());
        assertEquals(9, done.getUsage().getPromptTokens());
        assertEquals(3, done.getUsage().getCompletionTokens());
        assertEquals(GeminiChunks.UPSTREAM_MODEL, done.getModel(), "the modelVersion Gemini reports");
        assertEquals(GeminiRequests.PROVIDER_NAME, done.getProvider());
    }

    @Test
    void callsStreamGenerateContentWithTheKeyInItsHeader() {
        upstream.on("request-shape", Reply.sse(Ending.END_RESPONSE, finish("STOP", "ok", 3, 1)));

        generate(GeminiRequests.gemini(upstream, "models/request-shape").build());

        FakeGeminiUpstream.Received received = upstream.lastRequest("request-shape");
        assertEquals("POST", received.method());
        assertEquals("/v1beta/models/request-shape:streamGenerateContent", received.path(), "the models/ prefix is not doubled");
        assertEquals("sse", received.query().get("alt"));
        assertEquals(FakeGeminiUpstream.API_KEY, received.headers().get("x-goog-api-key"));
        assertThat(received.headers()).doesNotContainKey("authorization");
        assertThat(received.headers().get("content-type")).startsWith("application/json");
        assertEquals(new JsonObject().put("contents", new JsonArray().add(new JsonObject().put("role", "user")
                .put("parts", new JsonArray().add(new JsonObject().put("text", "Hello there"))))), received.body(),
                "nothing else when the request sets nothing else");
    }

    @Test
    void mapsAWholeConversationWithToolsAndParams() {
        upstream.on("mapping", Reply.sse(Ending.END_RESPONSE, finish("STOP", "It is 21 °C.", 80, 6)));
        GenerateRequest request = GeminiRequests.gemini(upstream, "mapping")
                .clearMessages()
                .addMessages(Requests.system("You are Hearth."))
                .addMessages(Requests.user("What is the weather in Paris?"))
                .addMessages(Requests.user("And switch on the kitchen light."))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent("Let me check.")
                        .addToolCalls(ToolCall.newBuilder().setId("call_w").setName("get_weather")
                                .setArgumentsJson("{\"city\":\"Paris\"}"))
                        .addToolCalls(ToolCall.newBuilder().setId("call_l").setName("set_light")
                                .setArgumentsJson("{\"room\":\"kitchen\",\"on\":true}")))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call_w")
                        .setContent("{\"celsius\":21}"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call_l")
                        .setName("set_light").setContent("done"))
                .addTools(ToolSpec.newBuilder().setName("get_weather").setDescription("Weather now")
                        .setInputSchemaJson("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\","
                                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],"
                                + "\"additionalProperties\":false}"))
                .addTools(ToolSpec.newBuilder().setName("list_rooms"))
                .setParams(GenerationParams.newBuilder().setTemperature(0.25).setTopP(0.5).setMaxTokens(300)
                        .addStop("\n\nUser:"))
                .build();
        GenerateRequest.Builder withOptions = request.toBuilder();
        withOptions.getProviderBuilder().putOptions("top_k", "40").putOptions("thinking_budget", "0");

        List<GenerateEvent> events = generate(withOptions.build());

        assertEquals("It is 21 °C.", Requests.text(events));
        JsonObject body = upstream.lastRequest("mapping").body();
        assertEquals(new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", "You are Hearth."))),
                body.getJsonObject("systemInstruction"));
        JsonArray contents = body.getJsonArray("contents");
        assertEquals(3, contents.size(), "user, model, user: same-role turns merged");
        assertEquals(new JsonObject().put("role", "user").put("parts", new JsonArray()
                .add(new JsonObject().put("text", "What is the weather in Paris?"))
                .add(new JsonObject().put("text", "And switch on the kitchen light."))), contents.getJsonObject(0));
        assertEquals(new JsonObject().put("role", "model").put("parts", new JsonArray()
                .add(new JsonObject().put("text", "Let me check."))
                .add(new JsonObject().put("functionCall", new JsonObject().put("id", "call_w").put("name", "get_weather")
                        .put("args", new JsonObject().put("city", "Paris")))
                        .put("thoughtSignature", "skip_thought_signature_validator"))
                .add(new JsonObject().put("functionCall", new JsonObject().put("id", "call_l").put("name", "set_light")
                        .put("args", new JsonObject().put("room", "kitchen").put("on", true)))
                        .put("thoughtSignature", "skip_thought_signature_validator"))), contents.getJsonObject(1));
        assertEquals(new JsonObject().put("role", "user").put("parts", new JsonArray()
                .add(new JsonObject().put("functionResponse", new JsonObject().put("id", "call_w")
                        .put("name", "get_weather") // found through the call's id
                        .put("response", new JsonObject().put("celsius", 21))))
                .add(new JsonObject().put("functionResponse", new JsonObject().put("id", "call_l")
                        .put("name", "set_light")
                        .put("response", new JsonObject().put("result", "done"))))), // not an object: wrapped
                contents.getJsonObject(2));
        assertEquals(new JsonArray().add(new JsonObject().put("functionDeclarations", new JsonArray()
                .add(new JsonObject().put("name", "get_weather").put("description", "Weather now")
                        .put("parametersJsonSchema", new JsonObject().put("type", "object")
                                .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
                                .put("required", new JsonArray().add("city")).put("additionalProperties", false)))
                .add(new JsonObject().put("name", "list_rooms")))), body.getJsonArray("tools"));
        assertEquals(new JsonObject().put("temperature", 0.25).put("topP", 0.5).put("maxOutputTokens", 300)
                .put("stopSequences", new JsonArray().add("\n\nUser:")).put("topK", 40)
                .put("thinkingConfig", new JsonObject().put("thinkingBudget", 0)), body.getJsonObject("generationConfig"));
    }

    @Test
    void streamsEachFunctionCallWholeWithAnId() {
        JsonObject weatherArgs = new JsonObject().put("location", "Paris, FR").put("unit", "celsius");
        JsonObject lightArgs = new JsonObject().put("room", "kitchen").put("on", true);
        upstream.on("tools", Reply.sse(Ending.END_RESPONSE, functionCall("fc-7", "get_weather", weatherArgs)
                + functionCall(null, "set_light", lightArgs) + finish("STOP", null, 40, 22)));

        List<GenerateEvent> events = generate(GeminiRequests.gemini(upstream, "tools").build());

        List<ToolCallDelta> calls = events.stream().filter(GenerateEvent::hasToolCall).map(GenerateEvent::getToolCall).toList();
        assertEquals(2, calls.size());
        assertEquals(0, calls.get(0).getIndex());
        assertEquals("fc-7", calls.get(0).getId(), "Gemini's own id when it gives one");
        assertEquals("get_weather", calls.get(0).getName());
        assertEquals(weatherArgs, new JsonObject(calls.get(0).getArgumentsFragment()), "the complete arguments at once");
        assertEquals(1, calls.get(1).getIndex());
        assertThat(calls.get(1).getId()).startsWith("call_").hasSizeGreaterThan(10);
        assertEquals(lightArgs, new JsonObject(calls.get(1).getArgumentsFragment()));
        assertTrue(Requests.texts(events).isEmpty());
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_TOOL_CALLS, done.getFinishReason(), "STOP after function calls");
        assertEquals(22, done.getUsage().getCompletionTokens());
    }

    @Test
    void thoughtSummariesAreNotPartOfTheAnswer() {
        upstream.on("thoughts", Reply.sse(Ending.END_RESPONSE, GeminiChunks.thought("**Weighing it up**")
                + text("Yes.") + finish("STOP", "", 5, 2)));

        List<GenerateEvent> events = generate(GeminiRequests.gemini(upstream, "thoughts").build());

        assertEquals(List.of("Yes."), Requests.texts(events));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "MAX_TOKENS, FINISH_REASON_LENGTH", "SAFETY, FINISH_REASON_INCOMPLETE",
            "RECITATION, FINISH_REASON_INCOMPLETE", "PROHIBITED_CONTENT, FINISH_REASON_INCOMPLETE",
            "OTHER, FINISH_REASON_INCOMPLETE", "SOME_NEW_REASON, FINISH_REASON_INCOMPLETE" })
    void anAnswerCutByTheProviderIsNotAStop(String geminiReason, FinishReason expected) {
        String model = "finish-" + geminiReason;
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, text("This answer was") + finish(geminiReason, " cut", 4, 4)));

        List<GenerateEvent> events = generate(GeminiRequests.gemini(upstream, model).build());

        assertEquals("This answer was cut", Requests.text(events));
        assertEquals(expected, Requests.done(events).getFinishReason());
    }

    @Test
    void aMalformedFunctionCallFailsSoTheRouterCanTryAgain() {
        upstream.on("malformed-call", Reply.sse(Ending.END_RESPONSE, finish("MALFORMED_FUNCTION_CALL", null, 4, 0)));

        StatusRuntimeException e = generateFails(GeminiRequests.gemini(upstream, "malformed-call").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("MALFORMED_FUNCTION_CALL");
    }

    @Test
    void aBlockedPromptIsInvalidArgumentWithTheReason() {
        upstream.on("blocked", Reply.sse(Ending.END_RESPONSE, GeminiChunks.blocked("PROHIBITED_CONTENT")));

        StatusRuntimeException e = generateFails(GeminiRequests.gemini(upstream, "blocked").build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("blocked the prompt").contains("PROHIBITED_CONTENT");
    }

    @Test
    void aStreamEndingBeforeTheFinishReasonIsTruncated() {
        upstream.on("ends-early", Reply.sse(Ending.END_RESPONSE, text("Half an ans")));

        StatusRuntimeException e = generateFails(GeminiRequests.gemini(upstream, "ends-early").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream closed the stream before finishing");
    }

    @Test
    void aConnectionDroppedMidStreamIsUnavailable() {
        upstream.on("dropped", Reply.sse(Ending.CLOSE_CONNECTION, text("Half an ans")));

        StatusRuntimeException e = generateFails(GeminiRequests.gemini(upstream, "dropped").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void theFinishChunkEndsTheAnswerEvenIfTheConnectionThenHangs() {
        upstream.on("hangs-after-finish", Reply.sse(Ending.STALL, text("All") + finish("STOP", " there", 2, 2)));

        List<GenerateEvent> events = generate(GeminiRequests.gemini(upstream, "hangs-after-finish").build());

        assertEquals("All there", Requests.text(events));
        await().atMost(WAIT).until(() -> upstream.connectionClosed("hangs-after-finish"));
    }

    @Test
    void cancellingTheCallClosesTheUpstreamConnection() {
        upstream.on("cancelled", Reply.trickle(Duration.ofMillis(20)));

        CancellableCall call = CancellableCall.start(llm, GeminiRequests.gemini(upstream, "cancelled").build());
        call.subscriber().awaitItems(3, WAIT);
        assertThat(upstream.connectionClosed("cancelled")).isFalse();
        call.cancel();

        await().atMost(WAIT).until(() -> upstream.connectionClosed("cancelled"));
    }

    @Test
    void refusesToCallWhenTheNamedKeyVariableIsNotSet() {
        upstream.on("unset-key", Reply.sse(Ending.END_RESPONSE, finish("STOP", "never", 1, 1)));
        GenerateRequest.Builder request = GeminiRequests.gemini(upstream, "unset-key");
        request.getProviderBuilder().setApiKeyEnv("HEARTH_TEST_KEY_THAT_IS_NOT_SET");

        StatusRuntimeException e = generateFails(request.build());

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("HEARTH_TEST_KEY_THAT_IS_NOT_SET");
        assertNull(upstream.lastRequest("unset-key"), "no request without the key");
    }

    @Test
    void sendsNoKeyHeaderWhenTheProviderNamesNoKey() {
        upstream.on("keyless", Reply.sse(Ending.END_RESPONSE, finish("STOP", "never", 1, 1)));
        GenerateRequest.Builder request = GeminiRequests.gemini(upstream, "keyless");
        request.getProviderBuilder().clearApiKeyEnv();

        StatusRuntimeException e = generateFails(request.build());

        assertThat(upstream.lastRequest("keyless").headers()).doesNotContainKey("x-goog-api-key");
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), "Google's answer to a keyless call");
        assertThat(e.getStatus().getDescription()).contains("unregistered callers");
    }

    // --- continue_final_message: the answer another provider began, continued from where it stops

    @Test
    void continuesAPartialAnswerAsATrailingModelTurn() {
        upstream.on("continue-prefill", Reply.sse(Ending.END_RESPONSE, text(" and then it rained")
                + finish("STOP", ".", 30, 5)));
        GenerateRequest.Builder request = GeminiRequests.gemini(upstream, "continue-prefill")
                .addMessages(GeminiRequests.assistant("It was sunny in the morning"))
                .setContinueFinalMessage(true);
        request.getProviderBuilder().putOptions("continue_mode", "prefill");

        List<GenerateEvent> events = generate(request.build());

        assertEquals(" and then it rained.", Requests.text(events), "only the continuation, never the prefix");
        JsonObject body = upstream.lastRequest("continue-prefill").body();
        JsonArray contents = body.getJsonArray("contents");
        assertEquals(new JsonObject().put("role", "model").put("parts", new JsonArray()
                .add(new JsonObject().put("text", "It was sunny in the morning"))), contents.getJsonObject(contents.size() - 1),
                "the partial answer is the last turn, for the model to continue");
        assertThat(body.getJsonObject("systemInstruction").encode()).contains("Continue it exactly where it stops");
    }

    @Test
    void asksInAUserTurnWhenTheModelRefusesATrailingModelTurn() {
        // Newer Gemini models answer a trailing model turn with this 400.
        upstream.on("continue-auto",
                Reply.error(400, GeminiChunks.errorBody(400, "INVALID_ARGUMENT",
                        "Requests ending with a model turn are not supported.", null)),
                Reply.sse(Ending.END_RESPONSE, text(" and then it rained") + finish("STOP", ".", 30, 5)));
        GenerateRequest request = GeminiRequests.gemini(upstream, "continue-auto")
                .addMessages(GeminiRequests.assistant("It was sunny in the morning"))
                .setContinueFinalMessage(true)
                .build();

        List<GenerateEvent> events = generate(request);

        assertEquals(" and then it rained.", Requests.text(events));
        List<FakeGeminiUpstream.Received> requests = upstream.requests("continue-auto");
        assertEquals(2, requests.size(), "prefill first, then asked in words");
        JsonArray first = requests.get(0).body().getJsonArray("contents");
        assertEquals("model", first.getJsonObject(first.size() - 1).getString("role"));
        JsonArray second = requests.get(1).body().getJsonArray("contents");
        assertEquals(new JsonObject().put("role", "model").put("parts", new JsonArray()
                .add(new JsonObject().put("text", "It was sunny in the morning"))), second.getJsonObject(second.size() - 2));
        JsonObject ask = second.getJsonObject(second.size() - 1);
        assertEquals("user", ask.getString("role"));
        assertThat(ask.encode()).contains("Continue it exactly where it stops").contains("do not repeat");
    }

    @Test
    void anyOther400IsNotTakenForARefusedModelTurn() {
        upstream.on("continue-other-400", Reply.error(400, GeminiChunks.errorBody(400, "INVALID_ARGUMENT",
                "* GenerateContentRequest.contents: contents is not specified", null)));
        GenerateRequest request = GeminiRequests.gemini(upstream, "continue-other-400")
                .addMessages(GeminiRequests.assistant("It was sunny"))
                .setContinueFinalMessage(true)
                .build();

        StatusRuntimeException e = generateFails(request);

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(1, upstream.requests("continue-other-400").size());
    }

    @Test
    void continueFinalMessageNeedsAnAssistantMessageLast() {
        GenerateRequest request = GeminiRequests.gemini(upstream, "continue-no-partial").setContinueFinalMessage(true).build();

        StatusRuntimeException e = generateFails(request);

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("continue_final_message");
    }

    private List<GenerateEvent> generate(GenerateRequest request) {
        return llm.generate(request).collect().asList().await().atMost(WAIT);
    }

    private StatusRuntimeException generateFails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class, () -> generate(request));
    }
}
