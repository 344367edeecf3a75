package dev.hearth.config.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the first start picks the default profile's provider. */
@ConfigMapping(prefix = "hearth.seed")
public interface SeedConfig {

    /** Where a local Ollama is probed ({@code GET /api/tags}). */
    @WithDefault("http://localhost:11434")
    String ollamaUrl();

    /** How long the Ollama probe may take before the demo provider is chosen instead. */
    @WithDefault("1500ms")
    Duration probeTimeout();
}
