package dev.hearth.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the provider chain retries, falls back and protects providers. The per-attempt timeouts
 * (first token, idle, total) are {@link RouterConfig}'s.
 */
@ConfigMapping(prefix = "hearth.router.chain")
public interface ChainConfig {

    /** Calls to one target before the chain moves on (the first call included). */
    @WithDefault("3")
    int maxAttempts();

    Backoff backoff();

    /**
     * The longest provider Retry-After hint the chain waits for; a longer one moves to the next target
     * at once and cools the provider down for the hinted time.
     */
    @WithDefault("3s")
    Duration retryAfterCap();

    Circuit circuit();

    RetryBudget retryBudget();

    Overlap overlap();

    interface Backoff {
        /** The wait before the first retry; each later one doubles it. */
        @WithDefault("200ms")
        Duration initial();

        @WithDefault("2s")
        Duration max();
    }

    interface Circuit {
        /** Consecutive failures of a provider that open its circuit. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open provider is skipped before one probe call may try it again. */
        @WithDefault("30s")
        Duration coolDown();
    }

    /** Retries may add at most {@code ratio} of the calls over {@code window}, plus {@code minRetries}. */
    interface RetryBudget {
        @WithDefault("0.2")
        double ratio();

        /** Retries always allowed per window, so a quiet system can still retry. */
        @WithDefault("10")
        int minRetries();

        @WithDefault("10s")
        Duration window();
    }

    /** Removing the text a continuing model repeats from the partial answer it was given. */
    interface Overlap {
        /** Code points at the end of the partial answer that a continuation may repeat. */
        @WithDefault("300")
        int window();

        /** A shorter match is taken for a coincidence, not a repeat. */
        @WithDefault("4")
        int minChars();
    }
}
