package dev.hearth.config;

import java.util.List;
import java.util.Map;

/**
 * Where models are served, as operators define it (already validated). Secrets are never stored:
 * {@code apiKeyEnv} names the environment variable of llm-adapter-service that holds the key.
 *
 * @param baseUrl   empty: the dialect's default endpoint
 * @param apiKeyEnv empty: the provider needs no key
 * @param models    the models it offers, for operators (a profile may name others)
 * @param options   dialect-specific settings, e.g. the demo provider's {@code token_delay_ms}
 */
public record Provider(String name, String dialect, String baseUrl, String apiKeyEnv, List<String> models,
        Map<String, String> options) {

    public Provider {
        models = List.copyOf(models);
        options = Map.copyOf(options);
    }
}
