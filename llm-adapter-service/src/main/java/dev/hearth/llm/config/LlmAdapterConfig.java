package dev.hearth.llm.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the adapter itself. Providers (base URL, key variable, dialect options) are not
 * here: they travel in each {@code GenerateRequest}, owned by mcp-config-service.
 */
@ConfigMapping(prefix = "hearth.llm")
public interface LlmAdapterConfig {

    Upstream upstream();

    Demo demo();

    /** Timeouts of the HTTP calls to providers. The router adds its own, per request. */
    interface Upstream {

        /** Opening a TCP (and TLS) connection to a provider. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Longest silence on an open upstream response, before the first byte and between two
         * reads. SSE comments count as activity: providers send them as keep-alives.
         */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Cap on one whole generation, however steadily it streams. */
        @WithDefault("10m")
        Duration totalTimeout();

        /**
         * Connections to one provider at once: each streaming answer holds one (HTTP/1.1), so this
         * is how many generations may stream from one provider concurrently (the REST client's own
         * default of 50 would queue the rest).
         */
        @WithDefault("1024")
        int maxConnections();
    }

    interface Demo {

        /** Pause between two tokens of the demo provider; {@code token_delay_ms} overrides it. */
        @WithDefault("20")
        int tokenDelayMs();
    }
}
