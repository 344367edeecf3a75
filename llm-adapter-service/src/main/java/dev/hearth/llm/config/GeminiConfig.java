package dev.hearth.llm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the {@code gemini} dialect (Google's Gemini API, {@code streamGenerateContent}). */
@ConfigMapping(prefix = "hearth.llm.gemini")
public interface GeminiConfig {

    /** The API root a provider of dialect {@code gemini} uses when its {@code base_url} is empty. */
    @WithDefault("https://generativelanguage.googleapis.com/v1beta")
    String defaultBaseUrl();

    /**
     * What the model is told when it must continue a partial answer another provider wrote
     * ({@code continue_final_message}).
     */
    @WithDefault("Your previous answer was cut off. Continue it exactly where it stops: do not repeat any of it, "
            + "do not add a preamble, just write the rest.")
    String continueInstruction();
}
