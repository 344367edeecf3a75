package dev.hearth.router.chain;

import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.router.client.LlmClient;
import dev.hearth.router.config.ChainConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * One generation over a profile's fallback chain.
 * <p>
 * Contract (what {@code ChatOrchestrator} relies on):
 * <ul>
 * <li>{@code request} carries messages, params, tools and request id; provider and model are filled
 * in per target.</li>
 * <li>The result streams TEXT deltas as they come (never duplicated across a retry or a handover),
 * then every TOOL_CALL delta of the attempt that finished (tool calls are held back until then, so a
 * failed attempt's partial calls never reach the caller), then exactly one DONE whose provider and
 * model are the target that finished. When a provider failed after text was sent and no later
 * target could continue it, DONE has finish reason INCOMPLETE.</li>
 * <li>When every target failed before any text was sent, the stream fails with the last
 * {@link io.grpc.StatusRuntimeException} ({@code ErrorCodes} maps it for the client).</li>
 * <li>{@code trace} learns every attempt and handover as they happen.</li>
 * <li>Cancelling the subscription cancels the provider call in flight.</li>
 * </ul>
 * How: a target is retried (jittered exponential backoff, a provider's Retry-After up to a cap, within
 * the {@link RetryBudget}) while its call has sent no text; then the next target takes over, skipping
 * providers whose circuit is open ({@link CircuitBreakers}). A target taking over after text was sent
 * continues the partial answer ({@code continue_final_message}), less what it repeats of it
 * ({@link OverlapTrimmer}). Everything is measured by {@link ChainMetrics}.
 */
@ApplicationScoped
public class ProviderChain {

    private final ChainRun.Tools tools;

    public ProviderChain(LlmClient llm, CircuitBreakers circuits, RetryBudget budget, ChainMetrics metrics,
            ChainConfig config) {
        this.tools = new ChainRun.Tools(llm, circuits, budget, metrics, config);
    }

    public Multi<GenerateEvent> generate(GenerateRequest request, List<ProfileTarget> targets, ChainTrace trace) {
        // A generation is short and its consumer keeps up with a model's pace: buffer rather than drop.
        return Multi.createFrom().emitter(
                emitter -> new ChainRun(request, List.copyOf(targets), trace, tools, emitter).start(),
                BackPressureStrategy.BUFFER);
    }
}
