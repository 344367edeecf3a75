package dev.hearth.llm.provider;

import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import io.smallrye.mutiny.Multi;

/**
 * One way of talking to LLM providers ({@code ProviderRef.dialect}). Implementations are
 * {@code @ApplicationScoped} beans; {@link ProviderDialects} finds them by {@link #name()}.
 */
public interface ProviderDialect {

    /** The {@code ProviderRef.dialect} value this implementation answers to, lower case. */
    String name();

    /** Whether a request must name a model; the demo provider makes one up. */
    default boolean requiresModel() {
        return true;
    }

    /**
     * Streams one completion: text and tool-call deltas, then exactly one {@code GenerateDone}.
     * Lazy: nothing happens before subscription, and cancelling stops the work upstream.
     * Fails with {@link io.grpc.StatusRuntimeException}s built by {@link ProviderErrors}.
     */
    Multi<GenerateEvent> generate(GenerateRequest request);
}
