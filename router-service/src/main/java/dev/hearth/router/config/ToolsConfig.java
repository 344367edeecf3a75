package dev.hearth.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "hearth.router.tools")
public interface ToolsConfig {

    /**
     * Tool rounds (the model asks, the router runs the calls) one turn may take. A model still
     * asking after that gets an is_error {@code tool_round_limit} result per call and the turn
     * completes with finish reason {@code tool_calls}.
     */
    @WithDefault("5")
    int maxRounds();

    /** Deadline of one tool call; a later answer is an is_error {@code timeout} result. */
    @WithDefault("10s")
    Duration callTimeout();
}
