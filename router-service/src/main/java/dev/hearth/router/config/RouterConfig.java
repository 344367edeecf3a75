package dev.hearth.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "hearth.router")
public interface RouterConfig {

    /** How long the provider may take to produce its first token. */
    @WithDefault("30s")
    Duration firstTokenTimeout();

    /** The longest silence allowed between two tokens. */
    @WithDefault("30s")
    Duration idleTimeout();

    /** The whole generation, as a gRPC deadline on the adapter call. */
    @WithDefault("10m")
    Duration totalTimeout();

    /** Deadline of each unary call to mcp-config-service. */
    @WithDefault("3s")
    Duration configCallTimeout();

    /** How many earlier messages of a conversation are sent to the model. */
    @WithDefault("40")
    int historyLimit();
}
