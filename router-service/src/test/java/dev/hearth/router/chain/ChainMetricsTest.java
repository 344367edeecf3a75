package dev.hearth.router.chain;

import static dev.hearth.router.chain.FakeLlmAdapter.ANSWER;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.answer;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.failAfter;
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

/** Provider calls, retries, fallbacks and circuits on /q/metrics, under the GenAI semantic convention names. */
@QuarkusTest
@TestProfile(ChainFaultProfile.class)
class ChainMetricsTest {

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int adapterPort;

    @BeforeEach
    void startFake() {
        FakeLlmAdapter.ensureStarted(adapterPort);
    }

    @Test
    void aRetryAndAFallbackAreMeasuredPerProviderAndModel() {
        FakeLlmAdapter.profile("metrics",
                new Target("p-metrics-a", "metrics-a", failAfter(0, Status.Code.UNAVAILABLE, "HTTP 503"), answer()));
        FakeLlmAdapter.profile("metrics-fallback",
                new Target("p-metrics-c", "metrics-c", failAfter(0, Status.Code.UNAUTHENTICATED, "HTTP 401")),
                new Target("p-metrics-d", "metrics-d", answer()));

        assertThat(text(chat(router, "metrics"))).isEqualTo(ANSWER);
        assertThat(text(chat(router, "metrics-fallback"))).isEqualTo(ANSWER);

        Map<String, String> a = Map.of("gen_ai_provider_name", "p-metrics-a", "gen_ai_request_model", "metrics-a",
                "gen_ai_operation_name", "chat");
        assertThat(sample("gen_ai_client_operation_duration_seconds_count", a, "error_type", "UNAVAILABLE")).isEqualTo(1);
        assertThat(sample("gen_ai_client_operation_duration_seconds_count", a, "error_type", "none")).isEqualTo(1);
        assertThat(sample("hearth_router_provider_errors_total", a, "error_type", "UNAVAILABLE")).isEqualTo(1);
        assertThat(sample("hearth_router_retries_total", a, "error_type", "UNAVAILABLE")).isEqualTo(1);
        assertThat(MetricsScrape.value("gen_ai_server_time_to_first_token_seconds_count", a)).isEqualTo(1);
        assertThat(MetricsScrape.value("gen_ai_server_time_per_output_token_seconds_count", a)).isEqualTo(1);
        assertThat(sample("gen_ai_client_token_usage_sum", a, "gen_ai_token_type", "input")).isEqualTo(11);
        assertThat(sample("gen_ai_client_token_usage_sum", a, "gen_ai_token_type", "output"))
                .isEqualTo(FakeLlmAdapter.TOKENS.size());
        assertThat(MetricsScrape.value("hearth_router_circuit_state", Map.of("gen_ai_provider_name", "p-metrics-a")))
                .isZero();

        Map<String, String> c = Map.of("gen_ai_provider_name", "p-metrics-c", "gen_ai_request_model", "metrics-c");
        assertThat(sample("hearth_router_fallbacks_total", c, "error_type", "provider_error")).isEqualTo(1);
        assertThat(sample("hearth_router_provider_errors_total", c, "error_type", "UNAUTHENTICATED")).isEqualTo(1);
        assertThat(sample("gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_provider_name", "p-metrics-d"), "error_type", "none")).isEqualTo(1);
    }

    private static double sample(String name, Map<String, String> labels, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(key, value);
        return MetricsScrape.value(name, all);
    }
}
