package dev.hearth.config.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the MCP aggregator talks to external MCP servers. */
@ConfigMapping(prefix = "hearth.aggregator")
public interface AggregatorConfig {

    /** How long an upstream may take to initialize or to list its tools. */
    @WithDefault("20s")
    Duration requestTimeout();

    /** How long a tool call may take upstream before it is answered with an {@code upstream_timeout} error. */
    @WithDefault("60s")
    Duration callTimeout();

    /** The first wait before reconnecting to an upstream that failed; doubled per failure. */
    @WithDefault("1s")
    Duration reconnectInitialBackoff();

    /** The longest wait between reconnection attempts. */
    @WithDefault("60s")
    Duration reconnectMaxBackoff();

    /** How often the running connections are reconciled with the stored servers (a safety net for missed changes). */
    @WithDefault("30s")
    Duration resyncInterval();
}
