package dev.hearth.llm.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.hearth.llm.grpc.StreamMetrics;
import dev.hearth.llm.provider.ProviderDialects;

/**
 * Ready once the dialects are wired. Providers are deliberately not probed: one provider
 * being down must not take the adapter out of its Service; the router falls back per call.
 */
@Readiness
@ApplicationScoped
public class DialectsReadinessCheck implements HealthCheck {

    private final ProviderDialects dialects;
    private final StreamMetrics streams;

    public DialectsReadinessCheck(ProviderDialects dialects, StreamMetrics streams) {
        this.dialects = dialects;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("llm-adapter")
                .status(!dialects.names().isEmpty())
                .withData("dialects", String.join(",", dialects.names()))
                .withData("activeStreams", streams.active())
                .build();
    }
}
