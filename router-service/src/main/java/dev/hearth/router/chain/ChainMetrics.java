package dev.hearth.router.chain;

import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.Usage;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Provider call metrics under the OpenTelemetry GenAI names where they exist, plus the chain's own.
 * Prometheus needs one set of tag keys per name, so {@code error.type} is {@code none} on success.
 */
@ApplicationScoped
public class ChainMetrics {

    static final String PROVIDER = "gen_ai.provider.name";
    static final String MODEL = "gen_ai.request.model";
    static final String ERROR = "error.type";
    private static final String OPERATION = "gen_ai.operation.name";

    private final MeterRegistry registry;

    public ChainMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One provider call ended: successfully ({@code failure} null) or not. */
    void attemptEnded(ProfileTarget target, Duration duration, Throwable failure) {
        Timer.builder("gen_ai.client.operation.duration")
                .description("Duration of a provider call (each retry and fallback on its own)")
                .tags(tags(target).and(ERROR, failure == null ? "none" : errorType(failure)))
                .register(registry).record(duration);
        if (failure != null) {
            Counter.builder("hearth.router.provider.errors").description("Failed provider calls")
                    .tags(tags(target).and(ERROR, errorType(failure))).register(registry).increment();
        }
    }

    void firstToken(ProfileTarget target, Duration sinceStart) {
        Timer.builder("gen_ai.server.time_to_first_token").description("Time to the first text of a provider call")
                .tags(tags(target)).register(registry).record(sinceStart);
    }

    /** Token counts of a finished call and the time per output token after the first (its inverse is tokens/s). */
    void finished(ProfileTarget target, Usage usage, Duration afterFirstToken) {
        DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens used per provider call")
                .tags(tags(target).and("gen_ai.token.type", "input")).register(registry).record(usage.getPromptTokens());
        DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens used per provider call")
                .tags(tags(target).and("gen_ai.token.type", "output")).register(registry).record(usage.getCompletionTokens());
        if (afterFirstToken != null && usage.getCompletionTokens() > 1) {
            Timer.builder("gen_ai.server.time_per_output_token")
                    .description("Time per output token after the first")
                    .tags(tags(target)).register(registry)
                    .record(afterFirstToken.dividedBy(usage.getCompletionTokens() - 1));
        }
    }

    void retry(ProfileTarget target, Throwable failure) {
        Counter.builder("hearth.router.retries").description("Provider calls repeated on the same target")
                .tags(tags(target).and(ERROR, errorType(failure))).register(registry).increment();
    }

    void fallback(ProfileTarget from, String reason) {
        Counter.builder("hearth.router.fallbacks").description("Turns moved on from this target to the next")
                .tags(tags(from).and(ERROR, reason)).register(registry).increment();
    }

    void circuitState(String provider, Supplier<Number> state) {
        Gauge.builder("hearth.router.circuit.state", state)
                .description("Provider circuit: 0 closed, 1 open, 2 half-open")
                .tags(PROVIDER, provider).strongReference(true).register(registry);
    }

    private static Tags tags(ProfileTarget target) {
        return Tags.of(OPERATION, "chat", PROVIDER, target.getProvider().getName(), MODEL, target.getModel());
    }

    private static String errorType(Throwable failure) {
        return Status.fromThrowable(failure).getCode().name();
    }
}
