package dev.hearth.config;

import java.time.Instant;
import java.util.List;

/** What an admin asks for when creating a key (already validated). {@code expiresAt} null: never. */
public record NewApiKey(String name, String userId, List<String> scopes, ApiKeyLimits limits, Instant expiresAt) {

    public NewApiKey {
        scopes = List.copyOf(scopes);
    }
}
