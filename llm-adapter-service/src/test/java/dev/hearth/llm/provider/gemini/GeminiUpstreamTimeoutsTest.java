package dev.hearth.llm.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.FakeGeminiUpstream;
import dev.hearth.llm.testsupport.FakeGeminiUpstream.Ending;
import dev.hearth.llm.testsupport.FakeGeminiUpstream.Reply;
import dev.hearth.llm.testsupport.FakeGeminiUpstreamResource;
import dev.hearth.llm.testsupport.GeminiChunks;
import dev.hearth.llm.testsupport.InjectFakeGeminiUpstream;
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

/** A Gemini upstream that never answers, goes silent or never ends is cut off, its connection closed. */
@QuarkusTest
@TestProfile(GeminiUpstreamTimeoutsTest.ShortTimeouts.class)
@WithTestResource(value = FakeGeminiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class GeminiUpstreamTimeoutsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.llm.upstream.idle-timeout", "1s", "hearth.llm.upstream.total-timeout", "4s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeGeminiUpstream
    FakeGeminiUpstream upstream;

    @Test
    void anUpstreamThatNeverAnswersHitsTheIdleTimeout() {
        upstream.on("never-answers", Reply.silent());

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "never-answers").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        await().atMost(WAIT).until(() -> upstream.connectionClosed("never-answers"));
    }

    @Test
    void anUpstreamSilentMidAnswerHitsTheIdleTimeout() {
        upstream.on("silent", Reply.sse(Ending.STALL, GeminiChunks.text("Thinking")));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "silent").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("idle timeout");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("silent"));
    }

    @Test
    void anEndlessUpstreamHitsTheTotalTimeout() {
        upstream.on("endless", Reply.trickle(Duration.ofMillis(200)));

        StatusRuntimeException e = fails(GeminiRequests.gemini(upstream, "endless").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("did not finish within");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("endless"));
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
