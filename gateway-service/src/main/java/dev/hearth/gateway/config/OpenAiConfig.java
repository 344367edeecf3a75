package dev.hearth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The OpenAI-compatible HTTP API ({@code /v1}). */
@ConfigMapping(prefix = "hearth.gateway.openai")
public interface OpenAiConfig {

    /** Deadline of one {@code ListProfiles} call to mcp-config-service (models and model checks). */
    @WithDefault("2s")
    Duration profilesTimeout();

    /**
     * How long the profile list is reused (also the {@code profiles} cache's expire-after-write
     * in application.properties); profile change events clear it sooner.
     */
    @WithDefault("10s")
    Duration profilesCacheTtl();
}
