package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.service.ApiKeyService.CreatedApiKey;
import java.util.List;

/** The answer to a create: the only time {@code key}, the secret itself, is ever shown. */
public record CreatedApiKeyResponse(
        String id,
        String key,
        String name,
        @JsonProperty("user_id") String userId,
        String prefix,
        List<String> scopes,
        LimitsJson limits,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("expires_at") String expiresAt) {

    static CreatedApiKeyResponse of(CreatedApiKey created) {
        var key = created.key();
        return new CreatedApiKeyResponse(key.id(), created.secret(), key.name(), key.userId(), key.prefix(),
                key.scopes(), LimitsJson.of(key.limits()), ApiKeyResponse.time(key.createdAt()),
                ApiKeyResponse.time(key.expiresAt()));
    }
}
