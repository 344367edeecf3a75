package dev.hearth.router.chain;

import static dev.hearth.router.chain.FakeLlmAdapter.ANSWER;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.answer;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.failAfter;
import static dev.hearth.router.chain.FakeLlmAdapter.calls;
import static dev.hearth.router.chain.Turns.chat;
import static dev.hearth.router.chain.Turns.last;
import static dev.hearth.router.chain.Turns.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.router.chain.FakeLlmAdapter.Step;
import dev.hearth.router.chain.FakeLlmAdapter.Target;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-provider circuits (ChainFaultProfile: open after 4 consecutive failures, 30 s cool-down), with
 * the chain's clock in the test's hands so a cool-down passes when the test says so.
 */
@QuarkusTest
@TestProfile(ChainFaultProfile.class)
class ChainCircuitTest {

    private static final Step DOWN = failAfter(0, Status.Code.UNAVAILABLE, "provider answered HTTP 503");
    private static final Duration PAST_COOL_DOWN = Duration.ofSeconds(31);

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int adapterPort;

    private final ManualClock clock = new ManualClock();

    @BeforeEach
    void setUp() {
        FakeLlmAdapter.ensureStarted(adapterPort);
        QuarkusMock.installMockForType(clock, ChainClock.class);
    }

    @Test
    void anOpenProviderIsSkippedThenProbedOnceAndClosedByASuccess() {
        FakeLlmAdapter.profile("circuit", new Target("p-circuit-a", "circuit-a", DOWN),
                new Target("p-circuit-b", "circuit-b", answer()));

        // Four failed calls open the circuit of p-circuit-a; b answers.
        assertThat(text(chat(router, "circuit"))).isEqualTo(ANSWER);
        assertThat(calls("circuit-a")).isEqualTo(4);
        assertThat(circuitState("p-circuit-a")).isEqualTo(1.0);

        // Open: skipped without a call, the handover says why.
        List<ChatEvent> skipped = chat(router, "circuit");
        assertThat(text(skipped)).isEqualTo(ANSWER);
        assertThat(calls("circuit-a")).isEqualTo(4);
        ChatCompleted completed = last(skipped).getCompleted();
        assertThat(completed.getHandoversList()).singleElement().satisfies(h -> {
            assertThat(h.getFromModel()).isEqualTo("circuit-a");
            assertThat(h.getToModel()).isEqualTo("circuit-b");
            assertThat(h.getReason()).isEqualTo("provider_unavailable");
            assertThat(h.getAfterChars()).isZero();
        });
        assertThat(completed.getAttempts()).isEqualTo(1);

        // After the cool-down one probe goes through; it fails, so the circuit opens again at once.
        clock.advance(PAST_COOL_DOWN);
        assertThat(circuitState("p-circuit-a")).isEqualTo(2.0);
        assertThat(text(chat(router, "circuit"))).isEqualTo(ANSWER);
        assertThat(calls("circuit-a")).isEqualTo(5);
        chat(router, "circuit");
        assertThat(calls("circuit-a")).isEqualTo(5);

        // The provider recovers: the next probe succeeds and closes the circuit.
        FakeLlmAdapter.script("circuit-a", answer());
        clock.advance(PAST_COOL_DOWN);
        ChatCompleted probe = last(chat(router, "circuit")).getCompleted();
        assertThat(probe.getProvider()).isEqualTo("p-circuit-a");
        assertThat(probe.getHandoversCount()).isZero();
        assertThat(circuitState("p-circuit-a")).isEqualTo(0.0);
        assertThat(last(chat(router, "circuit")).getCompleted().getProvider()).isEqualTo("p-circuit-a");
        assertThat(calls("circuit-a")).isEqualTo(7);
    }

    @Test
    void whenEveryProviderIsOpenTheTurnFailsAtOnceWithTheRemainingCoolDown() {
        FakeLlmAdapter.profile("circuit-all", new Target("p-circuit-all-a", "circuit-all-a", DOWN),
                new Target("p-circuit-all-b", "circuit-all-b", DOWN));
        assertThat(last(chat(router, "circuit-all")).getError().getCode()).isEqualTo("provider_unavailable");
        assertThat(calls("circuit-all-a")).isEqualTo(4);
        assertThat(calls("circuit-all-b")).isEqualTo(4);

        clock.advance(Duration.ofSeconds(10));
        List<ChatEvent> events = chat(router, "circuit-all");

        assertThat(events).hasSize(2); // started, error: no provider was called
        ErrorInfo error = last(events).getError();
        assertThat(error.getCode()).isEqualTo("provider_unavailable");
        assertThat(error.getRetryAfterMs()).isEqualTo(20_000);
        assertThat(calls("circuit-all-a")).isEqualTo(4);
        assertThat(calls("circuit-all-b")).isEqualTo(4);
    }

    @Test
    void aRetryAfterBeyondTheCapCoolsTheProviderDownForTheHint() {
        FakeLlmAdapter.profile("cooling",
                new Target("p-cooling-a", "cooling-a",
                        failAfter(0, Status.Code.RESOURCE_EXHAUSTED, "provider answered HTTP 429").retryAfter(60_000),
                        answer()),
                new Target("p-cooling-b", "cooling-b", answer()));

        ChatCompleted first = last(chat(router, "cooling")).getCompleted();
        assertThat(first.getHandovers(0).getReason()).isEqualTo("rate_limited");
        assertThat(calls("cooling-a")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(59)); // past the circuit's 30 s cool-down, not the hint's 60 s
        assertThat(last(chat(router, "cooling")).getCompleted().getProvider()).isEqualTo("p-cooling-b");
        assertThat(calls("cooling-a")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(last(chat(router, "cooling")).getCompleted().getProvider()).isEqualTo("p-cooling-a");
        assertThat(calls("cooling-a")).isEqualTo(2);
    }

    private static double circuitState(String provider) {
        return MetricsScrape.value("hearth_router_circuit_state", java.util.Map.of("gen_ai_provider_name", provider));
    }
}
