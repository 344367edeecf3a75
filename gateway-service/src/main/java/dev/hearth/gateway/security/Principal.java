package dev.hearth.gateway.security;

import java.util.Set;

/**
 * Who a client is: the API key it presented ({@code keyId}, safe to log), the user the key acts for
 * (streams belong to users), its scopes and its limits, already resolved against the gateway's
 * defaults.
 *
 * @param expiresAtMs epoch milliseconds after which the key is invalid; 0: never
 */
public record Principal(String keyId, String userId, Set<String> scopes, Limits limits, long expiresAtMs, String name) {

    public static final String SCOPE_CHAT = "chat";
    public static final String SCOPE_ADMIN = "admin";

    public Principal {
        scopes = Set.copyOf(scopes);
    }

    /** Per-key limits, each > 0. */
    public record Limits(int messagesPerMinute, int maxConcurrentStreams, int maxConnections) {
    }

    /** Manages keys and configuration; may cancel any stream. */
    public boolean admin() {
        return scopes.contains(SCOPE_ADMIN);
    }

    /** May use the assistant (WebSocket, completions, tickets); the admin scope includes it. */
    public boolean mayChat() {
        return scopes.contains(SCOPE_CHAT) || admin();
    }

    public boolean expires() {
        return expiresAtMs > 0;
    }

    public boolean expiredAt(long nowMs) {
        return expiresAtMs > 0 && nowMs >= expiresAtMs;
    }
}
