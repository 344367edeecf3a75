package dev.hearth.llm.provider.ollama;

import static dev.hearth.llm.testsupport.FakeOllamaUpstream.byteOffset;
import static dev.hearth.llm.testsupport.FakeOllamaUpstream.cut;
import static dev.hearth.llm.testsupport.OllamaLines.call;
import static dev.hearth.llm.testsupport.OllamaLines.content;
import static dev.hearth.llm.testsupport.OllamaLines.done;
import static dev.hearth.llm.testsupport.OllamaLines.thinking;
import static dev.hearth.llm.testsupport.OllamaLines.toolCalls;
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
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.llm.testsupport.CancellableCall;
import dev.hearth.llm.testsupport.FakeOllamaUpstream;
import dev.hearth.llm.testsupport.FakeOllamaUpstream.Ending;
import dev.hearth.llm.testsupport.FakeOllamaUpstream.Reply;
import dev.hearth.llm.testsupport.FakeOllamaUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOllamaUpstream;
import dev.hearth.llm.testsupport.OllamaLines;
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
import io.vertx.core.json.JsonObject;

/** The ollama dialect against a fake Ollama speaking its native NDJSON API, called over real gRPC. */
@QuarkusTest
@WithTestResource(value = FakeOllamaUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class OllamaStreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOllamaUpstream
    FakeOllamaUpstream upstream;

    @Test
    void streamsTextCutAnywhereOnTheWire() {
        String wire = content("Café") + thinking("the user wants coffee") + content(" au lait 🔥") + content(" ok")
                + done("stop", 26, 3);
        upstream.on("split", Reply.ndjson(Ending.END_RESPONSE, cut(wire,
                byteOffset(wire, "Café", 2), // inside a line, before the é
                byteOffset(wire, "é", 1), // between the two bytes of é
                byteOffset(wire, "🔥", 2), // in the middle of a 4-byte character
                byteOffset(wire, " ok", 0) - 1, // inside the JSON escaping of the previous quote
                byteOffset(wire, "\"done_reason\"", 0) - 1, // inside the final line
                wire.indexOf('\n') + 1, // exactly at a line boundary
                byteOffset(wire, " ok", 0) + 30))); // somewhere in the middle of a line

        List<GenerateEvent> events = generate(OllamaRequests.ollama(upstream, "split").build());

        assertEquals(List.of("Café", " au lait 🔥", " ok"), Requests.texts(events), "thinking is not the answer");
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_STOP, done.getFinishReason());
        assertEquals(26, done.getUsage().getPromptTokens());
        assertEquals(3, done.getUsage().getCompletionTokens());
        assertEquals(OllamaLines.UPSTREAM_MODEL, done.getModel(), "the model Ollama says answered");
        assertEquals(OllamaRequests.PROVIDER_NAME, done.getProvider());
    }

    @Test
    void passesOnTextThatComesWithTheFinalLine() {
        upstream.on("text-in-done", Reply.ndjson(Ending.END_RESPONSE, content("That's a fantastic question")
                + done("!", "stop", 12, 6)));

        List<GenerateEvent> events = generate(OllamaRequests.ollama(upstream, "text-in-done").build());

        assertEquals("That's a fantastic question!", Requests.text(events));
        assertEquals(6, Requests.done(events).getUsage().getCompletionTokens());
    }

    @Test
    void sendsTheWholeConversationInOllamasShape() {
        upstream.on("request-shape", Reply.ndjson(Ending.END_RESPONSE, content("ok") + done("stop", 1, 1)));
        GenerateRequest.Builder request = OllamaRequests.ollama(upstream, "request-shape")
                .clearMessages()
                .addMessages(Requests.system("Be brief."))
                .addMessages(Requests.user("Lights and weather?"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                        .addToolCalls(ToolCall.newBuilder().setId("call_w").setName("get_weather")
                                .setArgumentsJson("{\"city\":\"Paris\"}"))
                        .addToolCalls(ToolCall.newBuilder().setId("call_l").setName("set_light")
                                .setArgumentsJson("{\"room\":\"kitchen\",\"on\":true}")))
                // one result names its tool, the other only its call: the name is looked up
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call_w")
                        .setName("get_weather").setContent("18°C"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call_l").setContent("done"))
                .setParams(GenerationParams.newBuilder().setTemperature(0.2).setTopP(0.9).setMaxTokens(256)
                        .addStop("\n\n"))
                .addTools(ToolSpec.newBuilder().setName("get_weather").setDescription("Current weather")
                        .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                                + "\"required\":[\"city\"]}"));
        request.getProviderBuilder().putOptions("num_ctx", "8192").putOptions("keep_alive", "30m")
                .putOptions("think", "false");

        generate(request.build());

        FakeOllamaUpstream.Received received = upstream.lastRequest("request-shape");
        assertEquals("POST", received.method());
        assertEquals("/api/chat", received.path());
        assertEquals("Bearer " + FakeOllamaUpstream.API_KEY, received.headers().get("authorization"));
        assertThat(received.headers().get("content-type")).startsWith("application/json");
        assertEquals(new JsonObject("""
                {"model":"request-shape","stream":true,
                 "messages":[
                   {"role":"system","content":"Be brief."},
                   {"role":"user","content":"Lights and weather?"},
                   {"role":"assistant","content":"","tool_calls":[
                     {"id":"call_w","function":{"name":"get_weather","arguments":{"city":"Paris"}}},
                     {"id":"call_l","function":{"name":"set_light","arguments":{"room":"kitchen","on":true}}}]},
                   {"role":"tool","content":"18°C","tool_name":"get_weather","tool_call_id":"call_w"},
                   {"role":"tool","content":"done","tool_name":"set_light","tool_call_id":"call_l"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "options":{"temperature":0.2,"top_p":0.9,"num_predict":256,"stop":["\\n\\n"],"num_ctx":8192},
                 "keep_alive":"30m","think":false}
                """), received.body());
    }

    @ParameterizedTest(name = "base_url {0}")
    @ValueSource(strings = { "", "/", "/api", "/api/", "/v1", "/v1/" })
    void acceptsTheServerRootWithOrWithoutApiOrV1(String suffix) {
        String model = "base-url" + suffix.replace('/', '-');
        upstream.on(model, Reply.ndjson(Ending.END_RESPONSE, content("found") + done("stop", 1, 1)));
        GenerateRequest.Builder request = OllamaRequests.ollama(upstream, model);
        request.getProviderBuilder().setBaseUrl(upstream.baseUrl() + suffix);

        assertEquals("found", Requests.text(generate(request.build())));
        assertEquals("/api/chat", upstream.lastRequest(model).path());
    }

    @Test
    void sendsNoAuthorizationWhenTheProviderNamesNoKey() {
        upstream.on("keyless", Reply.ndjson(Ending.END_RESPONSE, content("local") + done("stop", 1, 1)));
        GenerateRequest.Builder request = OllamaRequests.ollama(upstream, "keyless");
        request.getProviderBuilder().clearApiKeyEnv();

        assertEquals("local", Requests.text(generate(request.build())));
        assertThat(upstream.lastRequest("keyless").headers()).doesNotContainKey("authorization");
    }

    @Test
    void refusesToCallWhenTheNamedKeyVariableIsNotSet() {
        upstream.on("unset-key", Reply.ndjson(Ending.END_RESPONSE, content("never") + done("stop", 1, 1)));
        GenerateRequest.Builder request = OllamaRequests.ollama(upstream, "unset-key");
        request.getProviderBuilder().setApiKeyEnv("HEARTH_TEST_KEY_THAT_IS_NOT_SET");

        StatusRuntimeException e = generateFails(request.build());

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("HEARTH_TEST_KEY_THAT_IS_NOT_SET");
        assertNull(upstream.lastRequest("unset-key"), "no request without the key");
    }

    @Test
    void streamsEachWholeToolCallAsOneDeltaWithAnId() {
        upstream.on("tools", Reply.ndjson(Ending.END_RESPONSE,
                toolCalls(call(null, "get_weather", new JsonObject().put("city", "Tokyo").put("unit", "celsius")),
                        call("call_light_1", "set_light", new JsonObject().put("room", "kitchen").put("on", true)))
                        + toolCalls(call(null, "get_time", new JsonObject()))
                        + done("stop", 169, 15)));

        List<GenerateEvent> events = generate(OllamaRequests.ollama(upstream, "tools").build());

        List<ToolCallDelta> calls = events.stream().filter(GenerateEvent::hasToolCall)
                .map(GenerateEvent::getToolCall).toList();
        assertEquals(3, calls.size());
        assertEquals(List.of(0, 1, 2), calls.stream().map(ToolCallDelta::getIndex).toList(), "one index per call");
        assertEquals("get_weather", calls.get(0).getName());
        assertEquals(new JsonObject().put("city", "Tokyo").put("unit", "celsius"),
                new JsonObject(calls.get(0).getArgumentsFragment()));
        assertThat(calls.get(0).getId()).startsWith("call_").hasSizeGreaterThan(10);
        assertEquals("call_light_1", calls.get(1).getId(), "Ollama's own id when it sends one");
        assertEquals("{\"room\":\"kitchen\",\"on\":true}", calls.get(1).getArgumentsFragment());
        assertEquals("{}", calls.get(2).getArgumentsFragment());
        assertThat(calls.get(2).getId()).isNotEqualTo(calls.get(0).getId());
        assertTrue(Requests.texts(events).isEmpty());
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_TOOL_CALLS, done.getFinishReason(), "Ollama says stop; it called tools");
        assertEquals(169, done.getUsage().getPromptTokens());
    }

    @Test
    void reportsLength() {
        upstream.on("length", Reply.ndjson(Ending.END_RESPONSE, content("This answer was cut") + done("length", 5, 4)));

        GenerateDone done = Requests.done(generate(OllamaRequests.ollama(upstream, "length").build()));

        assertEquals(FinishReason.FINISH_REASON_LENGTH, done.getFinishReason());
    }

    @Test
    void continuesAPartialAnswerFromWhereItStops() {
        upstream.on("continue", Reply.ndjson(Ending.END_RESPONSE, content(" Paris") + content(", on the Seine.")
                + done("stop", 30, 6)));
        GenerateRequest request = OllamaRequests.ollama(upstream, "continue")
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                        .setContent("The capital of France is"))
                .setContinueFinalMessage(true)
                .build();

        List<GenerateEvent> events = generate(request);

        assertEquals(" Paris, on the Seine.", Requests.text(events), "only the continuation");
        var messages = upstream.lastRequest("continue").body().getJsonArray("messages");
        assertEquals(new JsonObject().put("role", "assistant").put("content", "The capital of France is"),
                messages.getJsonObject(messages.size() - 1), "the partial answer is the open last turn");
        assertEquals(2, messages.size(), "nothing added after it");
    }

    @Test
    void refusesToContinueWhenTheLastMessageIsNotAnAssistantAnswer() {
        upstream.on("continue-nothing", Reply.ndjson(Ending.END_RESPONSE, content("x") + done("stop", 1, 1)));

        StatusRuntimeException e = generateFails(OllamaRequests.ollama(upstream, "continue-nothing")
                .setContinueFinalMessage(true).build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("continue_final_message");
        assertNull(upstream.lastRequest("continue-nothing"));
    }

    @Test
    void anAnswerEndingWithoutItsDoneLineIsUnavailable() {
        upstream.on("ends-early", Reply.ndjson(Ending.END_RESPONSE, content("Half an ans")));

        StatusRuntimeException e = generateFails(OllamaRequests.ollama(upstream, "ends-early").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream closed the stream before finishing");
    }

    @Test
    void aBodyEndingInsideALineIsTruncatedNotMalformed() {
        String wire = content("Half") + done("stop", 1, 1);
        upstream.on("cut-line", Reply.ndjson(Ending.END_RESPONSE,
                wire.substring(0, wire.indexOf("\"done_reason\""))));

        StatusRuntimeException e = generateFails(OllamaRequests.ollama(upstream, "cut-line").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream closed the stream before finishing");
    }

    @Test
    void aLineThatIsNotJsonIsMalformed() {
        upstream.on("garbage", Reply.ndjson(Ending.END_RESPONSE, content("Hi") + "<html>proxy page</html>\n"
                + content(" there") + done("stop", 1, 1)));

        StatusRuntimeException e = generateFails(OllamaRequests.ollama(upstream, "garbage").build());

        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("<html>proxy page</html>");
    }

    @Test
    void aConnectionDroppedMidStreamIsUnavailable() {
        upstream.on("dropped", Reply.ndjson(Ending.CLOSE_CONNECTION, content("Half an ans")));

        StatusRuntimeException e = generateFails(OllamaRequests.ollama(upstream, "dropped").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void theDoneLineEndsTheAnswerEvenIfTheConnectionThenHangs() {
        upstream.on("hangs-after-done", Reply.ndjson(Ending.STALL, content("All there") + done("stop", 3, 2)));

        List<GenerateEvent> events = generate(OllamaRequests.ollama(upstream, "hangs-after-done").build());

        assertEquals("All there", Requests.text(events));
        assertEquals(FinishReason.FINISH_REASON_STOP, Requests.done(events).getFinishReason());
        await().atMost(WAIT).until(() -> upstream.connectionClosed("hangs-after-done"));
    }

    @Test
    void cancellingTheCallClosesTheUpstreamConnection() {
        upstream.on("cancelled", Reply.trickle(Duration.ofMillis(20)));

        CancellableCall call = CancellableCall.start(llm, OllamaRequests.ollama(upstream, "cancelled").build());
        call.subscriber().awaitItems(3, WAIT);
        assertThat(upstream.connectionClosed("cancelled")).isFalse();
        call.cancel();

        await().atMost(WAIT).until(() -> upstream.connectionClosed("cancelled"));
    }

    private List<GenerateEvent> generate(GenerateRequest request) {
        return llm.generate(request).collect().asList().await().atMost(WAIT);
    }

    private StatusRuntimeException generateFails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class, () -> generate(request));
    }
}
