package dev.hearth.llm.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.CancellableCall;
import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import dev.hearth.llm.testsupport.Requests;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The demo dialect over real gRPC: deterministic, paced, honest about usage, stoppable. */
@QuarkusTest
// Not used here; declared so this class shares the Quarkus app the other gRPC tests start.
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class DemoDialectTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PREAMBLE = "Hello! This is Hearth's demo provider, streaming a reply so you can see "
            + "the suite work without any LLM. You said: ";

    @GrpcClient("llm")
    MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;

    @Inject
    MeterRegistry registry;

    @Inject
    StreamMetrics streams;

    @Test
    void repliesWithWordTokensThatConcatenateToTheWholeReply() {
        GenerateRequest request = Requests.demo("Turn on  the kitchen lights")
                .addMessages(0, Requests.system("You are a helpful home assistant."))
                .build();

        List<GenerateEvent> events = generate(request);

        String expected = PREAMBLE + "Turn on  the kitchen lights";
        assertEquals(expected, Requests.text(events));
        List<String> tokens = Requests.texts(events);
        assertEquals("Hello! ", tokens.get(0));
        assertEquals("on  ", tokens.get(tokens.size() - 4), "whitespace stays with its word");
        assertEquals("lights", tokens.get(tokens.size() - 1));
        assertThat(tokens).allMatch(t -> t.strip().split("\\s+").length == 1, "one word per token");
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_STOP, done.getFinishReason());
        assertEquals(6 + 5, done.getUsage().getPromptTokens(), "words of all messages");
        assertEquals(tokens.size(), done.getUsage().getCompletionTokens());
        assertEquals("demo-1", done.getModel());
        assertEquals("demo", done.getProvider(), "always demo, whatever the provider entry is called");
        assertEquals(events, generate(request), "deterministic");
    }

    @Test
    void echoesTheRequestedModel() {
        List<GenerateEvent> events = generate(Requests.demo("hi").setModel("demo-large").build());

        assertEquals("demo-large", Requests.done(events).getModel());
    }

    @Test
    void maxTokensCutsTheReplyWithLength() {
        GenerateRequest request = Requests.demo("anything")
                .setParams(GenerationParams.newBuilder().setMaxTokens(5)).build();

        List<GenerateEvent> events = generate(request);

        assertEquals(List.of("Hello! ", "This ", "is ", "Hearth's ", "demo "), Requests.texts(events));
        GenerateDone done = Requests.done(events);
        assertEquals(FinishReason.FINISH_REASON_LENGTH, done.getFinishReason());
        assertEquals(5, done.getUsage().getCompletionTokens());
    }

    @Test
    void pacesTokensByTheTokenDelayOption() {
        GenerateRequest.Builder request = Requests.demo("hi").setParams(GenerationParams.newBuilder().setMaxTokens(6));
        request.getProviderBuilder().putOptions("token_delay_ms", "50");

        long start = System.nanoTime();
        List<GenerateEvent> events = generate(request.build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(6, Requests.texts(events).size());
        // the first token comes at once, each next one 50 ms later
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(5 * 50));
    }

    @Test
    void aBadTokenDelayIsInvalidArgument() {
        GenerateRequest.Builder request = Requests.demo("hi");
        request.getProviderBuilder().putOptions("token_delay_ms", "fast");

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> generate(request.build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertThat(e.getStatus().getDescription()).contains("token_delay_ms");
    }

    @Test
    void cancellingTheCallStopsEmission() {
        // 300 words at one every 25 ms: 7.5 s if nothing stops it.
        GenerateRequest.Builder request = Requests.demo("word ".repeat(300));
        request.getProviderBuilder().putOptions("token_delay_ms", "25");
        double before = tokensProduced();

        CancellableCall call = CancellableCall.start(llm, request.build());
        call.subscriber().awaitItems(3, WAIT);
        call.cancel();

        // The server saw the cancel and ended the stream, long before the reply could have run out...
        await().atMost(Duration.ofSeconds(3)).until(() -> streams.active() == 0);
        // ...and the demo provider makes no more tokens.
        double afterCancel = tokensProduced();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> tokensProduced() == afterCancel);
        assertThat(afterCancel - before).isLessThan(100);
    }

    private double tokensProduced() {
        // The counter appears with the first demo stream.
        var counter = registry.find("hearth.llm.demo.tokens").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<GenerateEvent> generate(GenerateRequest request) {
        return llm.generate(request).collect().asList().await().atMost(WAIT);
    }
}
