package dev.hearth.router.client;

import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.Profile;
import dev.hearth.router.config.RouterConfig;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;

/** Profiles from mcp-config-service: a deadline per call, retries only for transient failures. */
@ApplicationScoped
public class ConfigClient {

    private final MutinyConfigServiceGrpc.MutinyConfigServiceStub config;
    private final RouterConfig settings;

    public ConfigClient(@GrpcClient("config") MutinyConfigServiceGrpc.MutinyConfigServiceStub config,
            RouterConfig settings) {
        this.config = config;
        this.settings = settings;
    }

    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = TransientGrpcFailure.class)
    public Uni<Profile> profile(String name) {
        return config.withDeadlineAfter(settings.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getProfile(GetProfileRequest.newBuilder().setName(name).build());
    }
}
