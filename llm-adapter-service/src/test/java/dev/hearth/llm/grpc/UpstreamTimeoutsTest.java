package dev.hearth.llm.grpc;

import static dev.hearth.llm.testsupport.OpenAiChunks.DONE;
import static dev.hearth.llm.testsupport.OpenAiChunks.content;
import static dev.hearth.llm.testsupport.OpenAiChunks.finish;
import static dev.hearth.llm.testsupport.OpenAiChunks.role;
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

import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream.Ending;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream.Reply;
import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOpenAiUpstream;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** An upstream that goes silent, or never ends, is cut off and its connection closed. */
@QuarkusTest
@TestProfile(UpstreamTimeoutsTest.ShortTimeouts.class)
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class UpstreamTimeoutsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.llm.upstream.idle-timeout", "1s", "hearth.llm.upstream.total-timeout", "4s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOpenAiUpstream
    FakeOpenAiUpstream upstream;

    @Test
    void aSilentUpstreamHitsTheIdleTimeout() {
        upstream.on("silent", Reply.sse(Ending.STALL, role() + content("Thinking")));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> llm.generate(Requests.openAi(upstream, "silent").build()).collect().asList().await().atMost(WAIT));

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("idle timeout");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("silent"));
    }

    @Test
    void anAnswerWithItsFinishReasonIsWholeEvenIfTheConnectionThenHangs() {
        upstream.on("hangs-after-finish", Reply.sse(Ending.STALL, role() + content("All there") + finish("stop")));

        List<GenerateEvent> events = llm.generate(Requests.openAi(upstream, "hangs-after-finish").build())
                .collect().asList().await().atMost(WAIT);

        assertEquals("All there", Requests.text(events));
        assertEquals(FinishReason.FINISH_REASON_STOP, Requests.done(events).getFinishReason());
        await().atMost(WAIT).until(() -> upstream.connectionClosed("hangs-after-finish"));
    }

    @Test
    void keepAliveCommentsCountAsActivity() {
        // 1.5 s before the first token, with a comment every 250 ms: never 1 s of silence.
        String comment = ": OPENROUTER PROCESSING\n\n";
        upstream.on("keep-alive", Reply.sse(Ending.END_RESPONSE, Duration.ofMillis(250), Stream.of(
                role(), comment, comment, comment, comment, comment, content("Done thinking"), finish("stop") + DONE)
                .map(piece -> piece.getBytes(StandardCharsets.UTF_8)).toList()));

        List<GenerateEvent> events = llm.generate(Requests.openAi(upstream, "keep-alive").build())
                .collect().asList().await().atMost(WAIT);

        assertEquals("Done thinking", Requests.text(events));
    }

    @Test
    void anEndlessUpstreamHitsTheTotalTimeout() {
        // A token every 200 ms keeps the 1 s idle timeout happy; only the 4 s total stops it.
        upstream.on("endless", Reply.trickle(Duration.ofMillis(200)));

        long start = System.nanoTime();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> llm.generate(Requests.openAi(upstream, "endless").build()).collect().asList().await().atMost(WAIT));

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(3900));
        await().atMost(WAIT).until(() -> upstream.connectionClosed("endless"));
    }
}
