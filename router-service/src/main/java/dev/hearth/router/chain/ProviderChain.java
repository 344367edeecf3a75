package dev.hearth.router.chain;

import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.router.client.LlmClient;
import io.smallrye.mutiny.Multi;
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
 */
@ApplicationScoped
public class ProviderChain {

    private final LlmClient llm;

    public ProviderChain(LlmClient llm) {
        this.llm = llm;
    }

    public Multi<GenerateEvent> generate(GenerateRequest request, List<ProfileTarget> targets, ChainTrace trace) {
        // First cut: the primary target only (resilience comes next).
        ProfileTarget target = targets.get(0);
        trace.attempt(target);
        return llm.generate(request.toBuilder().setProvider(target.getProvider()).setModel(target.getModel()).build());
    }
}
