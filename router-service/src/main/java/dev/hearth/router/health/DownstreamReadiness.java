package dev.hearth.router.health;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import grpc.health.v1.MutinyHealthGrpc.MutinyHealthStub;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the services every chat needs answer the standard gRPC health check. */
@Readiness
@ApplicationScoped
public class DownstreamReadiness implements AsyncHealthCheck {

    private static final Duration DEADLINE = Duration.ofSeconds(1);

    private final Map<String, MutinyHealthStub> downstream = new LinkedHashMap<>();

    public DownstreamReadiness(@GrpcClient("config") MutinyHealthStub config, @GrpcClient("llm") MutinyHealthStub llm) {
        downstream.put("mcp-config-service", config);
        downstream.put("llm-adapter-service", llm);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("downstream gRPC services").up();
        Uni<?>[] checks = downstream.entrySet().stream().map(e -> e.getValue()
                .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .map(r -> r.getStatus() == ServingStatus.SERVING ? "SERVING" : r.getStatus().name())
                .onFailure().recoverWithItem(f -> "unreachable: " + f.getMessage())
                .invoke(state -> {
                    synchronized (response) {
                        response.withData(e.getKey(), state);
                        if (!"SERVING".equals(state)) {
                            response.down();
                        }
                    }
                })).toArray(Uni[]::new);
        return Uni.combine().all().unis(checks).discardItems().map(ignored -> response.build());
    }
}
