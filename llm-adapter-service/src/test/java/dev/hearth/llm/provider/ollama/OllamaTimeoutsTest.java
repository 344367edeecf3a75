package dev.hearth.llm.provider.ollama;

import static dev.hearth.llm.testsupport.OllamaLines.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.FakeOllamaUpstream;
import dev.hearth.llm.testsupport.FakeOllamaUpstream.Ending;
import dev.hearth.llm.testsupport.FakeOllamaUpstream.Reply;
import dev.hearth.llm.testsupport.FakeOllamaUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOllamaUpstream;
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

/** An Ollama that never answers, goes silent, or never ends is cut off and its connection closed. */
@QuarkusTest
@TestProfile(OllamaTimeoutsTest.ShortTimeouts.class)
@WithTestResource(value = FakeOllamaUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class OllamaTimeoutsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.llm.upstream.idle-timeout", "2s", "hearth.llm.upstream.total-timeout", "5s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOllamaUpstream
    FakeOllamaUpstream upstream;

    @Test
    void anOllamaThatNeverAnswersHitsTheIdleTimeout() {
        upstream.on("never", Reply.silence());

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "never").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("idle timeout");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("never"));
    }

    @Test
    void anOllamaSilentMidAnswerHitsTheIdleTimeout() {
        upstream.on("silent", Reply.ndjson(Ending.STALL, content("Thinking")));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "silent").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("idle timeout");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("silent"));
    }

    @Test
    void anEndlessAnswerHitsTheTotalTimeout() {
        // a line every 200 ms keeps the 2 s idle timeout happy, even on a loaded machine; only the 5 s total stops it
        upstream.on("endless", Reply.trickle(Duration.ofMillis(200)));

        StatusRuntimeException e = fails(OllamaRequests.ollama(upstream, "endless").build());

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
        assertThat(e.getStatus().getDescription()).contains("did not finish within");
        await().atMost(WAIT).until(() -> upstream.connectionClosed("endless"));
    }

    private StatusRuntimeException fails(GenerateRequest request) {
        return assertThrows(StatusRuntimeException.class,
                () -> llm.generate(request).collect().asList().await().atMost(WAIT));
    }
}
