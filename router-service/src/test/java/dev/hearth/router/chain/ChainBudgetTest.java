package dev.hearth.router.chain;

import static dev.hearth.router.chain.FakeLlmAdapter.ANSWER;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.answer;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.failAfter;
import static dev.hearth.router.chain.FakeLlmAdapter.calls;
import static dev.hearth.router.chain.Turns.chat;
import static dev.hearth.router.chain.Turns.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.router.chain.FakeLlmAdapter.Target;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry budget: retries stay within 20% of the generations over the window plus a floor (2 here),
 * and a spent budget sends the turn to the next target instead of retrying.
 */
@QuarkusTest
@TestProfile(ChainBudgetTest.SmallBudget.class)
class ChainBudgetTest {

    public static class SmallBudget extends ChainFaultProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("hearth.router.chain.max-attempts", "3",
                    "hearth.router.chain.retry-budget.ratio", "0.2",
                    "hearth.router.chain.retry-budget.min-retries", "2",
                    "hearth.router.chain.retry-budget.window", "1h",
                    "hearth.router.chain.circuit.failure-threshold", "1000");
        }
    }

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int adapterPort;

    @BeforeEach
    void startFake() {
        FakeLlmAdapter.ensureStarted(adapterPort);
    }

    @Test
    void retriesStopWhenTheBudgetIsSpentAndComeBackWithTraffic() {
        FakeLlmAdapter.profile("budget",
                new Target("p-budget-a", "budget-a", failAfter(0, Status.Code.UNAVAILABLE, "HTTP 503")),
                new Target("p-budget-b", "budget-b", answer()));
        FakeLlmAdapter.profile("budget-healthy", new Target("p-budget-c", "budget-c", answer()));

        // 1 generation: 2 + 0.2 × 1 = 2.2 retries allowed, so a's two retries go through.
        assertThat(text(chat(router, "budget"))).isEqualTo(ANSWER);
        assertThat(calls("budget-a")).isEqualTo(3);

        // 2 generations: 2.4 allowed, 2 spent: no retry, straight to b.
        assertThat(text(chat(router, "budget"))).isEqualTo(ANSWER);
        assertThat(calls("budget-a")).isEqualTo(4);
        assertThat(calls("budget-b")).isEqualTo(2);

        // Five healthy generations later (8 with the next): 3.6 allowed: one more retry, not two.
        for (int i = 0; i < 5; i++) {
            assertThat(text(chat(router, "budget-healthy"))).isEqualTo(ANSWER);
        }
        assertThat(text(chat(router, "budget"))).isEqualTo(ANSWER);
        assertThat(calls("budget-a")).isEqualTo(6);
        assertThat(calls("budget-b")).isEqualTo(3);
    }
}
