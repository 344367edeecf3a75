package dev.hearth.llm.provider.anthropic;

import static dev.hearth.llm.provider.anthropic.AnthropicRequests.anthropic;
import static dev.hearth.llm.testsupport.AnthropicEvents.UPSTREAM_MODEL;
import static dev.hearth.llm.testsupport.AnthropicEvents.blockStop;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageDelta;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageStart;
import static dev.hearth.llm.testsupport.AnthropicEvents.messageStop;
import static dev.hearth.llm.testsupport.AnthropicEvents.ping;
import static dev.hearth.llm.testsupport.AnthropicEvents.textBlockStart;
import static dev.hearth.llm.testsupport.AnthropicEvents.textDelta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.FakeAnthropicUpstream;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream.Ending;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream.Reply;
import dev.hearth.llm.testsupport.FakeAnthropicUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeAnthropicUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A silent, endless or unanswering Anthropic upstream is cut off (1 s idle, 4 s total) and its connection closed. */
@QuarkusTest
@TestProfile(AnthropicTimeoutsTest.ShortTimeouts.class)
@WithTestResource(value = FakeAnthropicUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class AnthropicTimeoutsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.llm.upstream.idle-timeout", "1s", "hearth.llm.upstream.total-timeout", "4s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeAnthropicUpstream
    FakeAnthropicUpstream upstream;

    @Test
    void anUpstreamThatNeverAnswersHitsTheIdleTimeout() {
        upstream.on("never", Reply.never());

        StatusRuntimeException e = fails(anthropic(upstream, "never").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        await().atMost(WAIT).until(() -> upstream.connectionClosed("never"));
    }

    @Test
    void anUpstreamFallingSilentMidStreamHitsTheIdleTimeout() {
        upstream.on("silent", Reply.sse(Ending.STALL, messageStart(UPSTREAM_MODEL, 5) + textBlockStart(0)
                + textDelta(0, "Thinking")));

        StatusRuntimeException e = fails(anthropic(upstream, "silent").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("idle timeout");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("silent"));
    }

    @Test
    void theAnswerEndsAtMessageStopEvenIfTheConnectionThenHangs() {
        upstream.on("hangs-after-stop", Reply.sse(Ending.STALL, messageStart(UPSTREAM_MODEL, 5) + textBlockStart(0)
                + textDelta(0, "All there") + blockStop(0) + messageDelta("end_turn", 2) + messageStop()));

        List<GenerateEvent> events = llm.generate(anthropic(upstream, "hangs-after-stop").build())
                .collect().asList().await().atMost(WAIT);

        assertEquals("All there", Requests.text(events));
        assertEquals(FinishReason.FINISH_REASON_STOP, Requests.done(events).getFinishReason());
        await().atMost(WAIT).until(() -> upstream.connectionClosed("hangs-after-stop"));
    }

    @Test
    void pingsCountAsActivity() {
        // 1.5 s before the first token, with a ping every 250 ms: never 1 s of silence.
        upstream.on("pings", Reply.sse(Ending.END_RESPONSE, Duration.ofMillis(250), Stream.of(
                messageStart(UPSTREAM_MODEL, 5), ping(), ping(), ping(), ping(), ping(), textBlockStart(0)
                        + textDelta(0, "Done thinking"), blockStop(0) + messageDelta("end_turn", 2) + messageStop())
                .map(piece -> piece.getBytes(StandardCharsets.UTF_8)).toList()));

        List<GenerateEvent> events = llm.generate(anthropic(upstream, "pings").build())
                .collect().asList().await().atMost(WAIT);

        assertEquals("Done thinking", Requests.text(events));
    }

    @Test
    void anEndlessUpstreamHitsTheTotalTimeout() {
        // A delta every 200 ms keeps the 1 s idle timeout happy; only the 4 s total stops it.
        upstream.on("endless", Reply.trickle(Duration.ofMillis(200)));

        StatusRuntimeException e = fails(anthropic(upstream, "endless").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("did not finish within");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("endless"));
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
