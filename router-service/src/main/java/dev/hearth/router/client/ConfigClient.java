package dev.hearth.router.client;

import dev.hearth.proto.v1.GetConfigVersionRequest;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.Profile;
import dev.hearth.router.config.RouterConfig;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Profiles and the config version from mcp-config-service: a deadline per call, retries only for
 * transient failures. Profiles are kept ({@code router-profiles} cache, by the name asked for, ""
 * being the default) until {@code ConfigFollower} drops them on a change event or a resync; a
 * failed read is not kept.
 */
@ApplicationScoped
public class ConfigClient {

    private final MutinyConfigServiceGrpc.MutinyConfigServiceStub config;
    private final MutinyConfigServiceGrpc.MutinyConfigServiceStub versions;
    private final RouterConfig settings;
    private final Cache profiles;
    private final TypedGuard<Uni<Profile>> guard = TypedGuard.create(new TypeLiteral<Uni<Profile>>() { })
            .withRetry().maxRetries(2).delay(100, ChronoUnit.MILLIS).jitter(50, ChronoUnit.MILLIS)
            .whenException(new TransientGrpcFailure()).done()
            .build();

    /**
     * {@code versions} is a channel of its own to the same service: the version is polled whether
     * or not anyone chats, and a poll while mcp-config-service is away must not leave the chat
     * path's channel waiting out a reconnect backoff when it is back.
     */
    public ConfigClient(@GrpcClient("config") MutinyConfigServiceGrpc.MutinyConfigServiceStub config,
            @GrpcClient("config-version") MutinyConfigServiceGrpc.MutinyConfigServiceStub versions,
            RouterConfig settings, @CacheName("router-profiles") Cache profiles) {
        this.config = config;
        this.versions = versions;
        this.settings = settings;
        this.profiles = profiles;
    }

    /** The named profile, or the default one for a blank name. */
    public Uni<Profile> profile(String name) {
        String key = name == null ? "" : name;
        return profiles.getAsync(key, k -> guard.get(() -> config
                .withDeadlineAfter(settings.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getProfile(GetProfileRequest.newBuilder().setName(k).build())));
    }

    /** Drops a kept profile (a cache entry still being read is dropped too, so its answer is not kept). */
    public Uni<Void> forgetProfile(String name) {
        return profiles.invalidate(name);
    }

    public Uni<Void> forgetProfiles() {
        return profiles.invalidateAll();
    }

    /** mcp-config-service's global config version, bumped by every write. */
    public Uni<Long> configVersion() {
        // Wait for ready: a resync right after Redis came back must not fail fast because the
        // channel is still backing off from an earlier attempt; the deadline bounds the wait.
        return versions.withWaitForReady().withDeadlineAfter(settings.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getConfigVersion(GetConfigVersionRequest.getDefaultInstance())
                .map(v -> v.getVersion());
    }
}
