package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.ApiKey;
import java.time.Instant;
import java.util.List;

/**
 * A key as the admin API shows it: never the secret, never its hash. Times are RFC 3339 UTC,
 * null when unset.
 *
 * @param status {@code active}, {@code revoked} or {@code expired}
 */
public record ApiKeyResponse(
        String id,
        String name,
        @JsonProperty("user_id") String userId,
        String prefix,
        List<String> scopes,
        LimitsJson limits,
        String status,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("revoked_at") String revokedAt,
        @JsonProperty("last_used_at") String lastUsedAt) {

    static ApiKeyResponse of(ApiKey key, Instant now) {
        return new ApiKeyResponse(key.id(), key.name(), key.userId(), key.prefix(), key.scopes(),
                LimitsJson.of(key.limits()), key.status(now), time(key.createdAt()), time(key.expiresAt()),
                time(key.revokedAt()), time(key.lastUsedAt()));
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
