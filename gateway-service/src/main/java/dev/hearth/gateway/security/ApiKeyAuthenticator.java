package dev.hearth.gateway.security;

import dev.hearth.gateway.config.LimitsConfig;
import dev.hearth.gateway.config.SecurityConfig;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import io.grpc.Status;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Turns a presented API key into a {@link Principal}: asks mcp-config-service and caches the answer
 * briefly under the key's SHA-256 (the key itself is never a map key or logged). A config-change
 * event for a key drops its entry at once; a resync drops them all. Only successes are cached.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);
    /** Longer input is no key of ours and not worth hashing or sending. */
    static final int MAX_KEY_LENGTH = 512;
    private static final String BEARER = "bearer ";

    private final ApiKeyVerifier verifier;
    private final Cache cache;
    private final SecurityConfig config;
    private final LimitsConfig limits;
    private final Principal local;

    public ApiKeyAuthenticator(ApiKeyVerifier verifier, @CacheName("api-keys") Cache cache, SecurityConfig config,
            LimitsConfig limits) {
        this.verifier = verifier;
        this.cache = cache;
        this.config = config;
        this.limits = limits;
        this.local = new Principal("local", "local", Set.of(Principal.SCOPE_CHAT, Principal.SCOPE_ADMIN),
                new Principal.Limits(limits.messagesPerMinute(), limits.streamsPerKey(), limits.connectionsPerKey()),
                0, "local");
    }

    void warnWhenOpen(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("Authentication is OFF (hearth.gateway.auth.enabled=false): every client is the principal "
                    + "'local' with all scopes. Do not expose this gateway beyond a trusted network.");
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The principal of every client while authentication is off. */
    public Principal localPrincipal() {
        return local;
    }

    /**
     * The key of an {@code Authorization: Bearer <key>} header value, or null when the header is
     * absent or another scheme.
     */
    public static String bearerKey(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        String key = authorization.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }

    /**
     * Who {@code key} belongs to. Fails with {@link AuthenticationException} (unknown, revoked,
     * expired) or {@link AuthUnavailableException} (it cannot be checked now).
     */
    public Uni<Principal> authenticate(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Uni.createFrom().failure(new AuthenticationException("invalid API key"));
        }
        String hash = sha256(key);
        return cache.<String, Verdict>getAsync(hash, h -> fetch(key))
                .flatMap(verdict -> {
                    RuntimeException refusal = verdict.failure != null ? verdict.failure
                            : verdict.principal.expiredAt(System.currentTimeMillis()) ? new AuthenticationException("API key expired")
                            : null;
                    if (refusal != null) {
                        // Only successes stay cached; callers that shared this lookup got the same answer.
                        return cache.invalidate(hash).replaceWith(Uni.createFrom().<Principal>failure(refusal));
                    }
                    return Uni.createFrom().item(verdict.principal);
                });
    }

    /**
     * A lookup's outcome. Failures are values here, not failed futures, which Caffeine would log as
     * warnings: a client trying wrong keys must not flood the log.
     */
    private record Verdict(Principal principal, RuntimeException failure) {
    }

    /** Like {@link #authenticate}, but asks mcp-config-service again whatever is cached. */
    public Uni<Principal> reauthenticate(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Uni.createFrom().failure(new AuthenticationException("invalid API key"));
        }
        return cache.invalidate(sha256(key)).chain(() -> authenticate(key));
    }

    private Uni<Verdict> fetch(String key) {
        return verifier.verify(key)
                .map(p -> new Verdict(principal(p), null))
                .onFailure().recoverWithItem(failure -> new Verdict(null, classify(failure)));
    }

    private static RuntimeException classify(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            return new AuthenticationException(status.getDescription() == null ? "invalid API key"
                    : "invalid API key: " + status.getDescription());
        }
        return new AuthUnavailableException("the API key cannot be verified now (" + status.getCode() + ")", failure);
    }

    Principal principal(ApiKeyPrincipal p) {
        return new Principal(p.getKeyId(), p.getUserId(), Set.copyOf(p.getScopesList()),
                new Principal.Limits(
                        orDefault(p.getLimits().getMessagesPerMinute(), limits.messagesPerMinute()),
                        orDefault(p.getLimits().getMaxConcurrentStreams(), limits.streamsPerKey()),
                        orDefault(p.getLimits().getMaxConnections(), limits.connectionsPerKey())),
                p.getExpiresAtMs(), p.getName());
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }

    /** Drops cached verifications of a key id (revoked or changed), and any still running. */
    void onConfigChange(@Observes ConfigChange change) {
        if (change.resyncs()) {
            cache.invalidateAll().subscribe().with(ok -> { }, failure -> { });
        } else if (ConfigChange.KIND_API_KEY.equals(change.kind())) {
            forgetKeyId(change.id());
        }
    }

    void forgetKeyId(String keyId) {
        CaffeineCache entries = cache.as(CaffeineCache.class);
        for (Object hash : entries.keySet()) {
            CompletableFuture<Verdict> entry = entries.getIfPresent(hash);
            // A verification still running may have been answered before the change: drop it too.
            if (entry != null && (!entry.isDone() || entry.isCompletedExceptionally() || entry.join().principal == null
                    || keyId.equals(entry.join().principal.keyId()))) {
                cache.invalidate(hash).subscribe().with(ok -> { }, failure -> { });
            }
        }
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
