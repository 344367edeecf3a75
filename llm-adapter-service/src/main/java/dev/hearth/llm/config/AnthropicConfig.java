package dev.hearth.llm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the {@code anthropic} dialect (Anthropic's Messages API). */
@ConfigMapping(prefix = "hearth.llm.anthropic")
public interface AnthropicConfig {

    /** Where a provider of this dialect with an empty {@code base_url} is served. */
    @WithDefault("https://api.anthropic.com")
    String defaultBaseUrl();

    /** The {@code anthropic-version} header: the API version whose wire format the dialect speaks. */
    @WithDefault("2023-06-01")
    String apiVersion();

    /**
     * Anthropic requires {@code max_tokens}; this is sent when neither the request's params nor
     * the provider option {@code max_tokens} set it.
     */
    @WithDefault("4096")
    int defaultMaxTokens();
}
