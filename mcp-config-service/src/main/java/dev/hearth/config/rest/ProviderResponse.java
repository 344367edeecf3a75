package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.Provider;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A provider as the admin API shows it: the same shape a PUT takes, so GET, edit, PUT works. */
public record ProviderResponse(
        String name,
        String dialect,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("api_key_env") String apiKeyEnv,
        List<String> models,
        Map<String, String> options) {

    static ProviderResponse of(Provider provider) {
        return new ProviderResponse(provider.name(), provider.dialect(), provider.baseUrl(), provider.apiKeyEnv(),
                provider.models(), new TreeMap<>(provider.options()));
    }
}
