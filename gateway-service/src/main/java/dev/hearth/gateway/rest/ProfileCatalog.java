package dev.hearth.gateway.rest;

import dev.hearth.gateway.config.OpenAiConfig;
import dev.hearth.gateway.security.ApiKeyVerifier;
import dev.hearth.gateway.security.ConfigChange;
import dev.hearth.proto.v1.ListProfilesRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc.MutinyConfigServiceStub;
import dev.hearth.proto.v1.Profile;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The profiles of mcp-config-service, which the OpenAI-compatible API offers as models. Read with a
 * per-call deadline, retried while the service is UNAVAILABLE, reused briefly (the {@code profiles}
 * cache) and dropped at once on a profile change event.
 */
@ApplicationScoped
public class ProfileCatalog {

    private static final String ALL = "all";

    private final MutinyConfigServiceStub config;
    private final Cache cache;
    private final OpenAiConfig settings;
    private final TypedGuard<Uni<List<Profile>>> guard = TypedGuard.create(new TypeLiteral<Uni<List<Profile>>>() { })
            .withRetry().maxRetries(2).delay(100, ChronoUnit.MILLIS).jitter(50, ChronoUnit.MILLIS)
            .whenException(new ApiKeyVerifier.Unavailable()).done()
            .build();

    public ProfileCatalog(@GrpcClient("config") MutinyConfigServiceStub config, @CacheName("profiles") Cache cache,
            OpenAiConfig settings) {
        this.config = config;
        this.cache = cache;
        this.settings = settings;
    }

    public Uni<List<Profile>> profiles() {
        return cache.getAsync(ALL, all -> guard.get(() -> config
                .withDeadlineAfter(settings.profilesTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .listProfiles(ListProfilesRequest.getDefaultInstance())
                .map(response -> List.copyOf(response.getProfilesList())))
                .onFailure().transform(f -> new OpenAiError(503, "server_error", "service_unavailable", null,
                        "the profiles cannot be read now; try again shortly", 1000)));
    }

    /** Whether a profile of that name exists. */
    public Uni<Boolean> exists(String name) {
        return profiles().map(all -> all.stream().anyMatch(p -> p.getName().equals(name)));
    }

    void onConfigChange(@Observes ConfigChange change) {
        if (change.concerns(ConfigChange.KIND_PROFILE)) {
            cache.invalidateAll().subscribe().with(ok -> { }, failure -> { });
        }
    }
}
