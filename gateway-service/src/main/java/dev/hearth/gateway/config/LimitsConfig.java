package dev.hearth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Per-key limits, counted in Redis so they hold across gateway replicas. A key's own limits
 * (from mcp-config-service) win; these apply where the key says 0.
 */
@ConfigMapping(prefix = "hearth.gateway.limits")
public interface LimitsConfig {

    /** Chat messages (WebSocket {@code chat}, HTTP completions) one key may send per minute. */
    @WithDefault("120")
    int messagesPerMinute();

    /** Generations one key may run at once, over all its connections and replicas. */
    @WithDefault("16")
    int streamsPerKey();

    /** WebSocket connections one key may hold open at once, over all replicas. */
    @WithDefault("32")
    int connectionsPerKey();

    /**
     * A held stream or connection slot lives this long in Redis unless its replica renews it
     * (every third of it); a crashed replica's slots free themselves after at most this.
     */
    @WithDefault("30s")
    Duration lease();
}
