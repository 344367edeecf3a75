package dev.hearth.config;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A stored API key as everyone but its holder sees it: never the secret, never its hash.
 *
 * @param id         public id ({@code k_} + 12 base62), safe to log and show
 * @param prefix     the key's first characters, so a holder can tell which key is which
 * @param expiresAt  null: it does not expire
 * @param revokedAt  null: not revoked
 * @param lastUsedAt null: never verified; refreshed at most once a minute
 */
public record ApiKey(String id, String name, String userId, String prefix, List<String> scopes, ApiKeyLimits limits,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

    /** Use the assistant. */
    public static final String SCOPE_CHAT = "chat";
    /** Manage keys and configuration; cancel any stream. */
    public static final String SCOPE_ADMIN = "admin";
    public static final Set<String> SCOPES = Set.of(SCOPE_CHAT, SCOPE_ADMIN);

    public ApiKey {
        scopes = List.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** {@code active}, {@code revoked} or {@code expired} (revoked wins: it was a decision). */
    public String status(Instant now) {
        if (isRevoked()) {
            return "revoked";
        }
        return isExpiredAt(now) ? "expired" : "active";
    }
}
