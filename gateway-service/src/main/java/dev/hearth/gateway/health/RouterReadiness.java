package dev.hearth.gateway.health;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import grpc.health.v1.MutinyHealthGrpc.MutinyHealthStub;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the router answers the standard gRPC health check: without it no chat can run. */
@Readiness
@ApplicationScoped
public class RouterReadiness implements AsyncHealthCheck {

    private final MutinyHealthStub router;

    public RouterReadiness(@GrpcClient("router") MutinyHealthStub router) {
        this.router = router;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return router.withDeadlineAfter(1, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance())
                .map(r -> HealthCheckResponse.named("router-service")
                        .status(r.getStatus() == ServingStatus.SERVING)
                        .withData("status", r.getStatus().name()).build())
                .onFailure().recoverWithItem(f -> HealthCheckResponse.named("router-service").down()
                        .withData("error", String.valueOf(f.getMessage())).build());
    }
}
