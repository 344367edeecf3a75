package dev.hearth.llm.provider.anthropic;

import static dev.hearth.llm.provider.anthropic.AnthropicRequests.anthropic;
import static dev.hearth.llm.provider.anthropic.AnthropicRequests.assistant;
import static dev.hearth.llm.testsupport.AnthropicEvents.UPSTREAM_MODEL;
import static dev.hearth.llm.testsupport.AnthropicEvents.blockStop;
import static dev.hearth.llm.testsupport.AnthropicEvents.inputJsonDelta;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageDelta;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageStart;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageStop;
import static dev.hearth.llm.testsupport.AnthropicEvents.ping;
import static dev.hearth.llm.testsupport.AnthropicEvents.textBlockStart;
import static dev.hearth.llm.testsupport.AnthropicEvents.textDelta;
import static dev.hearth.llm.testsupport.AnthropicEvents.thinkingBlock;
import static dev.hearth.llm.testsupport.AnthropicEvents.toolUseStart;
import static dev.hearth.llm.testsupport.FakeAnthropicUpstream.byteOffset;
import static dev.hearth.llm.testsupport.FakeAnthropicUpstream.cut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.hearth.llm.testsupport.CancellableCall;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream.Ending;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream.Reply;
import dev.hearth.llm.testsupport.FakeAnthropicUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeAnthropicUpstream;
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

/** The anthropic dialect against a fake Messages API speaking the real wire format, called over real gRPC. */
@QuarkusTest
@WithTestResource(value = FakeAnthropicUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class AnthropicStreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeAnthropicUpstream
    FakeAnthropicUpstream upstream;

    @ParameterizedTest(name = "line ending {0}")
    @ValueSource(strings = { "\n", "\r\n" })
    void streamsTextCutAnywhereOnTheWire(String newline) {
        String model = newline.length() == 1 ? "split-lf" : "split-crlf";
        String wire = (messageStart(UPSTREAM_MODEL, 25) + textBlockStart(0) + ping() + textDelta(0, "Café")
                + textDelta(0, " au lait 🔥") + textDelta(0, " ok") + blockStop(0) + messageDelta("end_turn", 7)
                + messageStop()).replace("\n", newline);
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, cut(wire,
                byteOffset(wire, "event: ping", 3), // inside an event: line
                byteOffset(wire, "Café", 2), // inside a data: line, before the é
                byteOffset(wire, "é", 1), // between the two bytes of é
                byteOffset(wire, "🔥", 2), // in the middle of a 4-byte character
                byteOffset(wire, "ok\"", 0) + 6, // inside the event's closing blank line
                byteOffset(wire, "event: message_stop", -1)))); // between the two newlines before the last event

        List<GenerateEvent> events = generate(anthropic(upstream, model).build());

        assertEquals(List.of("Café", " au lait 🔥", " ok"), Requests.texts(events));
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_STOP, done.getFinishReason());
        assertEquals(25, done.getUsage().getPromptTokens());
        assertEquals(7, done.getUsage().getCompletionTokens());
        assertEquals(UPSTREAM_MODEL, done.getModel(), "the model the upstream says answered");
        assertEquals(AnthropicRequests.PROVIDER_NAME, done.getProvider());
    }

    @Test
    void mapsTheConversationToAMessagesRequest() {
        upstream.on("request-shape", Reply.text("ok"));
        GenerateRequest.Builder request = anthropic(upstream, "request-shape")
                .clearMessages()
                .addMessages(Requests.system("You are Hearth."))
                .addMessages(Requests.user("Weather in Paris and Oslo?"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent("Checking.")
                        .addToolCalls(ToolCall.newBuilder().setId("toolu_1").setName("get_weather")
                                .setArgumentsJson("{\"city\":\"Paris\"}"))
                        .addToolCalls(ToolCall.newBuilder().setId("toolu_2").setName("get_weather")
                                .setArgumentsJson("{\"city\":\"Oslo\"}")))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("toolu_1")
                        .setName("get_weather").setContent("18°C"))
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("toolu_2")
                        .setName("get_weather").setContent("4°C"))
                .addMessages(Requests.system("Answer in one sentence."))
                .addMessages(Requests.user("And tomorrow?"))
                .setParams(GenerationParams.newBuilder().setTemperature(0.3).setTopP(0.9).setMaxTokens(300)
                        .addStop("\n\nHuman:"))
                .addTools(ToolSpec.newBuilder().setName("get_weather").setDescription("Current weather")
                        .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                                + "\"required\":[\"city\"]}"));
        // Written with /v1 and a trailing slash: the dialect adds /v1/messages either way.
        request.getProviderBuilder().setBaseUrl(upstream.baseUrl() + "/v1/")
                .putOptions("anthropic_beta", "fine-grained-tool-streaming-2025-05-14")
                .putOptions("top_k", "40");

        generate(request.build());

        FakeAnthropicUpstream.Received received = upstream.lastRequest("request-shape");
        assertEquals("POST", received.method());
        assertEquals("/v1/messages", received.path());
        assertEquals(FakeAnthropicUpstream.API_KEY, received.headers().get("x-api-key"));
        assertEquals("2023-06-01", received.headers().get("anthropic-version"));
        assertEquals("fine-grained-tool-streaming-2025-05-14", received.headers().get("anthropic-beta"));
        assertThat(received.headers()).doesNotContainKey("authorization");
        assertThat(received.headers().get("accept")).contains("text/event-stream");
        assertThat(received.headers().get("content-type")).startsWith("application/json");
        assertEquals(new JsonObject("""
                {"model":"request-shape","max_tokens":300,"stream":true,
                 "system":"You are Hearth.\\n\\nAnswer in one sentence.",
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"Weather in Paris and Oslo?"}]},
                   {"role":"assistant","content":[
                     {"type":"text","text":"Checking."},
                     {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                     {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Oslo"}}]},
                   {"role":"user","content":[
                     {"type":"tool_result","tool_use_id":"toolu_1","content":"18°C"},
                     {"type":"tool_result","tool_use_id":"toolu_2","content":"4°C"},
                     {"type":"text","text":"And tomorrow?"}]}],
                 "temperature":0.3,"top_p":0.9,"top_k":40,"stop_sequences":["\\n\\nHuman:"],
                 "tools":[{"name":"get_weather","description":"Current weather",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}
                """), received.body());
    }

    @Test
    void sendsTheConfiguredMaxTokensAndNoKeyWhenTheProviderNamesNone() {
        upstream.on("keyless", Reply.text("local"));
        GenerateRequest.Builder request = anthropic(upstream, "keyless");
        request.getProviderBuilder().clearApiKeyEnv();

        List<GenerateEvent> events = generate(request.build());

        assertEquals("local", Requests.text(events));
        FakeAnthropicUpstream.Received received = upstream.lastRequest("keyless");
        assertThat(received.headers()).doesNotContainKeys("x-api-key", "anthropic-beta");
        assertEquals(4096, received.body().getInteger("max_tokens"), "hearth.llm.anthropic.default-max-tokens");
        assertThat(received.body().fieldNames()).doesNotContain("system", "temperature", "top_p", "stop_sequences",
                "tools");
    }

    @Test
    void refusesToCallWhenTheNamedKeyVariableIsNotSet() {
        upstream.on("unset-key", Reply.text("never"));
        GenerateRequest.Builder request = anthropic(upstream, "unset-key");
        request.getProviderBuilder().setApiKeyEnv("HEARTH_TEST_KEY_THAT_IS_NOT_SET");

        StatusRuntimeException e = generateFails(request.build());

        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("HEARTH_TEST_KEY_THAT_IS_NOT_SET");
        assertNull(upstream.lastRequest("unset-key"), "no request without the key");
    }

    @Test
    void streamsToolCallFragmentsAsTheyCome() {
        String weatherArgs = "{\"location\": \"Paris, FR\", \"unit\": \"celsius\"}";
        String lightArgs = "{\"room\":\"kitchen\",\"on\":true}";
        upstream.on("tools", Reply.sse(Ending.END_RESPONSE, messageStart(UPSTREAM_MODEL, 310)
                + textBlockStart(0) + textDelta(0, "Let me check.") + blockStop(0)
                + toolUseStart(1, "toolu_weather", "get_weather")
                + inputJsonDelta(1, "")
                + inputJsonDelta(1, weatherArgs.substring(0, 7))
                + inputJsonDelta(1, weatherArgs.substring(7, 25))
                + inputJsonDelta(1, weatherArgs.substring(25))
                + blockStop(1)
                + toolUseStart(2, "toolu_light", "set_light")
                + inputJsonDelta(2, lightArgs)
                + blockStop(2)
                + messageDelta("tool_use", 58) + messageStop()));

        List<GenerateEvent> events = generate(anthropic(upstream, "tools").build());

        assertEquals("Let me check.", Requests.text(events));
        List<ToolCallDelta> fragments = events.stream().filter(GenerateEvent::hasToolCall)
                .map(GenerateEvent::getToolCall).toList();
        assertEquals(6, fragments.size(), "a start per call, then one event per non-empty fragment, as streamed");
        Map<Integer, StringBuilder> arguments = new TreeMap<>();
        fragments.forEach(f -> arguments.computeIfAbsent(f.getIndex(), i -> new StringBuilder())
                .append(f.getArgumentsFragment()));
        assertEquals(Map.of(1, weatherArgs, 2, lightArgs), Map.of(1, arguments.get(1).toString(), 2,
                arguments.get(2).toString()));
        assertEquals(List.of(1, 2), List.copyOf(arguments.keySet()), "the tool_use block's index groups a call");
        assertEquals("toolu_weather", fragments.get(0).getId());
        assertEquals("get_weather", fragments.get(0).getName());
        assertEquals("toolu_light", fragments.get(4).getId());
        assertEquals("set_light", fragments.get(4).getName());
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_TOOL_CALLS, done.getFinishReason());
        assertEquals(310, done.getUsage().getPromptTokens());
        assertEquals(58, done.getUsage().getCompletionTokens());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "end_turn, FINISH_REASON_STOP", "stop_sequence, FINISH_REASON_STOP", "max_tokens, FINISH_REASON_LENGTH",
            "tool_use, FINISH_REASON_TOOL_CALLS", "refusal, FINISH_REASON_INCOMPLETE" })
    void mapsStopReasons(String stopReason, FinishReason expected) {
        String model = "stop-" + stopReason;
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, messageStart(UPSTREAM_MODEL, 9) + textBlockStart(0)
                + textDelta(0, "Some text") + blockStop(0) + messageDelta(stopReason, 3) + messageStop()));

        GenerateDone done = Requests.done(generate(anthropic(upstream, model).build()));

        assertEquals(expected, done.getFinishReason());
        assertEquals(9, done.getUsage().getPromptTokens());
        assertEquals(3, done.getUsage().getCompletionTokens());
    }

    @Test
    void skipsThinkingAndEventTypesItDoesNotKnow() {
        upstream.on("thinking", Reply.sse(Ending.END_RESPONSE, messageStart(UPSTREAM_MODEL, 9)
                + thinkingBlock(0, "The user greets me; greet back.")
                + "event: content_block_future\ndata: {\"type\":\"content_block_future\",\"index\":1}\n\n"
                + textBlockStart(1) + textDelta(1, "Hi!") + blockStop(1) + ping() + messageDelta("end_turn", 20)
                + messageStop()));

        List<GenerateEvent> events = generate(anthropic(upstream, "thinking").build());

        assertEquals(List.of("Hi!"), Requests.texts(events));
        assertEquals(2, events.size(), "nothing but the text and the done");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // partial answer | what the model writes next | the prefill sent | what the client gets
            "'Hello '          | ' world'          | 'Hello'           | 'world'",
            "'Hello '          | 'world'           | 'Hello'           | 'world'",
            "'Hello '          | '  world'         | 'Hello'           | ' world'",
            "'Hel'             | 'lo world'        | 'Hel'             | 'lo world'",
            "'Hello,'          | ' world'          | 'Hello,'          | ' world'",
            "'One.\n\n'        | '\n\nTwo.'        | 'One.'            | 'Two.'",
            "'One.\n\n'        | '\nTwo.'          | 'One.'            | 'Two.'",
            "'One.\n'          | ' Two.'           | 'One.'            | ' Two.'" })
    void continuesAPartialAnswerWithoutRepeatingOrLosingItsTrailingWhitespace(String partial, String continuation,
            String prefillSent, String emitted) {
        String model = "continue-" + Integer.toHexString((partial + "|" + continuation).hashCode());
        // The model's whitespace arrives in its own delta, as Claude often streams it.
        String leading = continuation.substring(0, continuation.length() - continuation.stripLeading().length());
        StringBuilder wire = new StringBuilder(messageStart(UPSTREAM_MODEL, 30)).append(textBlockStart(0));
        if (!leading.isEmpty()) {
            wire.append(textDelta(0, leading));
        }
        wire.append(textDelta(0, continuation.stripLeading())).append(blockStop(0))
                .append(messageDelta("end_turn", 4)).append(messageStop());
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, wire.toString()));

        List<GenerateEvent> events = generate(anthropic(upstream, model)
                .addMessages(assistant(partial)).setContinueFinalMessage(true).build());

        assertEquals(emitted, Requests.text(events));
        assertThat(Requests.texts(events)).doesNotContain("");
        JsonObject prefill = upstream.lastRequest(model).body().getJsonArray("messages").getJsonObject(1);
        assertEquals(new JsonObject().put("role", "assistant").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", prefillSent))), prefill,
                "the partial answer is the last message, for the model to continue");
        assertEquals(FinishReason.FINISH_REASON_STOP, Requests.done(events).getFinishReason());
    }

    @Test
    void aPartialAnswerOfOnlyWhitespaceIsNotSentAndItsWhitespaceNotRepeated() {
        upstream.on("continue-blank", Reply.text(" ", "Sure."));

        List<GenerateEvent> events = generate(anthropic(upstream, "continue-blank")
                .addMessages(assistant(" ")).setContinueFinalMessage(true).build());

        assertEquals("Sure.", Requests.text(events));
        assertEquals(1, upstream.lastRequest("continue-blank").body().getJsonArray("messages").size(),
                "Anthropic rejects an empty assistant message: the user's message is the last one");
    }

    @Test
    void continuingNeedsAnAssistantMessageLast() {
        upstream.on("continue-user", Reply.text("never"));

        StatusRuntimeException e = generateFails(anthropic(upstream, "continue-user").setContinueFinalMessage(true).build());

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("continue_final_message");
        assertNull(upstream.lastRequest("continue-user"));
    }

    @Test
    void withoutContinuingATrailingAssistantMessageIsSentAsItIs() {
        upstream.on("no-continue", Reply.text(" more"));

        List<GenerateEvent> events = generate(anthropic(upstream, "no-continue").addMessages(assistant("Hello ")).build());

        assertEquals(" more", Requests.text(events));
        assertEquals("Hello ", upstream.lastRequest("no-continue").body().getJsonArray("messages").getJsonObject(1)
                .getJsonArray("content").getJsonObject(0).getString("text"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "no-message-stop", "no-message-delta" })
    void aStreamEndingBeforeMessageStopIsUnavailable(String model) {
        String wire = messageStart(UPSTREAM_MODEL, 9) + textBlockStart(0) + textDelta(0, "Half an ans")
                + (model.equals("no-message-stop") ? blockStop(0) + messageDelta("end_turn", 3) : "");
        upstream.on(model, Reply.sse(Ending.END_RESPONSE, wire));

        StatusRuntimeException e = generateFails(anthropic(upstream, model).build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("upstream closed the stream before finishing");
    }

    @Test
    void aConnectionDroppedMidStreamIsUnavailable() {
        upstream.on("dropped", Reply.sse(Ending.CLOSE_CONNECTION,
                messageStart(UPSTREAM_MODEL, 9) + textBlockStart(0) + textDelta(0, "Half an ans")));

        StatusRuntimeException e = generateFails(anthropic(upstream, "dropped").build());

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void dataThatIsNotJsonIsUnknown() {
        upstream.on("garbage", Reply.sse(Ending.END_RESPONSE, messageStart(UPSTREAM_MODEL, 9)
                + "event: content_block_delta\ndata: <html>oops</html>\n\n"));

        StatusRuntimeException e = generateFails(anthropic(upstream, "garbage").build());

        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("not JSON");
    }

    @Test
    void cancellingTheCallClosesTheUpstreamConnection() {
        upstream.on("cancelled", Reply.trickle(Duration.ofMillis(20)));

        CancellableCall call = CancellableCall.start(llm, anthropic(upstream, "cancelled").build());
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
