package dev.hearth.llm.grpc;

import static dev.hearth.llm.testsupport.FakeOpenAiUpstream.byteOffset;
import static dev.hearth.llm.testsupport.FakeOpenAiUpstream.cut;
import static dev.hearth.llm.testsupport.OpenAiChunks.DONE;
import static dev.hearth.llm.testsupport.OpenAiChunks.content;
import static dev.hearth.llm.testsupport.OpenAiChunks.finish;
import static dev.hearth.llm.testsupport.OpenAiChunks.role;
import static dev.hearth.llm.testsupport.OpenAiChunks.toolCall;
import static dev.hearth.llm.testsupport.OpenAiChunks.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.llm.testsupport.CancellableCall;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream.Ending;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream.Reply;
import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOpenAiUpstream;
import dev.hearth.llm.testsupport.OpenAiChunks;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import dev.hearth.proto.v1.ToolCallDelta;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The openai dialect against a fake upstream speaking the real wire format, called over real gRPC. */
@QuarkusTest
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class OpenAiStreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOpenAiUpstream
    FakeOpenAiUpstream upstream;

    @ParameterizedTest(name = "line ending {0}")
    @ValueSource(strings = { "\n", "\r\n" })
    void streamsTextCutAnywhereOnTheWire(String newline) {
        String model = newline.length() == 1 ? "split-lf" : "split-crlf";
        String wire = (role() + ": keep-alive comment, as OpenRouter sends\n\n" + content("Café") + content(" au lait 🔥")
                + content(" ok") + finish("stop") + usage(9, 3) + DONE).replace("\n", newline);
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, cut(wire,
                byteOffset(wire, "Café", 2), // inside a data: line, before the é
                byteOffset(wire, "é", 1), // between the two bytes of é
                byteOffset(wire, "🔥", 2), // in the middle of a 4-byte character
                byteOffset(wire, "ok\"", 0) + 6, // just before the event's closing blank line
                byteOffset(wire, "[DONE]", -2), // between "data:" and its space
                byteOffset(wire, "[DONE]", 0) + 6 + newline.length()))); // inside the final blank line

        List<GenerateEvent> events = generate(Requests.openAi(upstream, model).build());

        assertEquals(List.of("Café", " au lait 🔥", " ok"), Requests.texts(events));
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_STOP, done.getFinishReason());
        assertEquals(9, done.getUsage().getPromptTokens());
        assertEquals(3, done.getUsage().getCompletionTokens());
        assertEquals(OpenAiChunks.UPSTREAM_MODEL, done.getModel(), "the model the upstream says answered");
        assertEquals(Requests.FAKE_PROVIDER_NAME, done.getProvider());
    }

    @Test
    void sendsAStreamingRequestWithTheKeyFromTheEnvironmentVariableNamed() {
        upstream.on("request-shape", Reply.sse(Ending.END_RESPONSE, content("ok") + finish("stop") + DONE));

        generate(Requests.openAi(upstream, "request-shape").build());

        FakeOpenAiUpstream.Received received = upstream.lastRequest("request-shape");
        assertEquals("POST", received.method());
        assertEquals("/v1/chat/completions", received.path());
        assertEquals("Bearer " + FakeOpenAiUpstream.API_KEY, received.headers().get("authorization"));
        assertThat(received.headers().get("accept")).contains("text/event-stream");
        assertThat(received.headers().get("content-type")).startsWith("application/json");
        JsonObject body = received.body();
        assertEquals(true, body.getBoolean("stream"));
        assertEquals(true, body.getJsonObject("stream_options").getBoolean("include_usage"));
        assertEquals("request-shape", body.getString("model"));
        assertEquals(new JsonObject().put("role", "user").put("content", "Hello there"),
                body.getJsonArray("messages").getJsonObject(0));
    }

    @Test
    void sendsNoAuthorizationWhenTheProviderNamesNoKey() {
        upstream.on("keyless", Reply.sse(Ending.END_RESPONSE, content("local") + finish("stop") + DONE));
        GenerateRequest.Builder request = Requests.openAi(upstream, "keyless");
        request.getProviderBuilder().clearApiKeyEnv();

        List<GenerateEvent> events = generate(request.build());

        assertEquals("local", Requests.text(events));
        assertThat(upstream.lastRequest("keyless").headers()).doesNotContainKey("authorization");
    }

    @Test
    void refusesToCallWhenTheNamedKeyVariableIsNotSet() {
        upstream.on("unset-key", Reply.sse(Ending.END_RESPONSE, content("never") + finish("stop") + DONE));
        GenerateRequest.Builder request = Requests.openAi(upstream, "unset-key");
        request.getProviderBuilder().setApiKeyEnv("HEARTH_TEST_KEY_THAT_IS_NOT_SET");

        StatusRuntimeException e = generateFails(request.build());

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("HEARTH_TEST_KEY_THAT_IS_NOT_SET");
        assertEquals(null, upstream.lastRequest("unset-key"), "no request without the key");
    }

    @Test
    void streamsToolCallFragmentsAsTheyCome() {
        String weatherArgs = "{\"location\": \"Paris, FR\", \"unit\": \"celsius\"}";
        String lightArgs = "{\"room\":\"kitchen\",\"on\":true}";
        upstream.on("tools", Reply.sse(Ending.END_RESPONSE, role()
                + toolCall(0, "call_weather", "get_weather", "")
                + toolCall(0, null, null, weatherArgs.substring(0, 7))
                + toolCall(0, null, null, weatherArgs.substring(7, 25))
                + toolCall(0, null, null, weatherArgs.substring(25))
                + toolCall(1, "call_light", "set_light", lightArgs.substring(0, 10))
                + toolCall(1, null, null, lightArgs.substring(10))
                + finish("tool_calls") + usage(40, 22) + DONE));

        List<GenerateEvent> events = generate(Requests.openAi(upstream, "tools").build());

        List<ToolCallDelta> fragments = events.stream().filter(GenerateEvent::hasToolCall)
                .map(GenerateEvent::getToolCall).toList();
        assertEquals(6, fragments.size(), "one event per fragment, as streamed");
        Map<Integer, StringBuilder> arguments = new TreeMap<>();
        fragments.forEach(f -> arguments.computeIfAbsent(f.getIndex(), i -> new StringBuilder())
                .append(f.getArgumentsFragment()));
        assertEquals(weatherArgs, arguments.get(0).toString());
        assertEquals(lightArgs, arguments.get(1).toString());
        assertEquals("call_weather", fragments.get(0).getId());
        assertEquals("get_weather", fragments.get(0).getName());
        assertEquals("call_light", fragments.get(4).getId());
        assertEquals("set_light", fragments.get(4).getName());
        assertTrue(Requests.texts(events).isEmpty());
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_TOOL_CALLS, done.getFinishReason());
        assertEquals(22, done.getUsage().getCompletionTokens());
    }

    @Test
    void reportsLengthAndZeroUsageWhenTheServerSendsNone() {
        upstream.on("length", Reply.sse(Ending.END_RESPONSE,
                role() + content("This answer was cut") + finish("length") + DONE));

        List<GenerateEvent> events = generate(Requests.openAi(upstream, "length").build());

        assertEquals("This answer was cut", Requests.text(events));
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_LENGTH, done.getFinishReason());
        assertEquals(0, done.getUsage().getPromptTokens());
        assertEquals(0, done.getUsage().getCompletionTokens());
    }

    @Test
    void aStreamEndingWithoutDoneOrFinishReasonIsUnavailable() {
        upstream.on("ends-early", Reply.sse(Ending.END_RESPONSE, role() + content("Half an ans")));

        StatusRuntimeException e = generateFails(Requests.openAi(upstream, "ends-early").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream closed the stream before finishing");
    }

    @Test
    void aConnectionDroppedMidStreamIsUnavailable() {
        upstream.on("dropped", Reply.sse(Ending.CLOSE_CONNECTION, role() + content("Half an ans")));

        StatusRuntimeException e = generateFails(Requests.openAi(upstream, "dropped").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        GenerateRequest.Builder request = Requests.openAi(upstream, "nobody-home");
        request.getProviderBuilder().setBaseUrl("http://127.0.0.1:" + closedPort + "/v1");

        StatusRuntimeException e = generateFails(request.build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("cannot connect");
    }

    @Test
    void cancellingTheCallClosesTheUpstreamConnection() {
        upstream.on("cancelled", Reply.trickle(Duration.ofMillis(20)));

        CancellableCall call = CancellableCall.start(llm, Requests.openAi(upstream, "cancelled").build());
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
