package dev.hearth.llm.grpc;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.CancellableCall;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import dev.hearth.llm.testsupport.InjectFakeOpenAiUpstream;
import dev.hearth.llm.testsupport.OpenAiChunks;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many answers stream from one provider at once: each holds an HTTP/1.1 connection, and the REST
 * client's default pool (50) would make the 51st wait for another to finish.
 */
@QuarkusTest
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentGenerationsTest {

    private static final int STREAMS = 80;

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @InjectFakeOpenAiUpstream
    FakeOpenAiUpstream upstream;

    @Test
    void moreThanFiftyAnswersStreamFromOneProviderAtOnce() {
        AtomicInteger streaming = new AtomicInteger();
        upstream.on("held", (request, vertx) -> {
            // Starts answering and holds the response open until the client hangs up.
            streaming.incrementAndGet();
            request.response().setChunked(true).putHeader("content-type", "text/event-stream")
                    .write(OpenAiChunks.role() + OpenAiChunks.content("still going"));
            request.response().closeHandler(v -> streaming.decrementAndGet());
        });
        List<CancellableCall> calls = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                calls.add(CancellableCall.start(llm, Requests.openAi(upstream, "held").build()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> streaming.get() == STREAMS);
        } finally {
            calls.forEach(CancellableCall::cancel);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streaming.get() == 0);
    }
}
