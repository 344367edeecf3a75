package dev.hearth.gateway.health;

import dev.hearth.gateway.ws.GracefulShutdown;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready once shutdown began, so load balancers send new clients to another replica. */
@Readiness
@ApplicationScoped
public class AcceptingReadiness implements HealthCheck {

    private final GracefulShutdown shutdown;

    public AcceptingReadiness(GracefulShutdown shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting-clients").status(!shutdown.draining()).build();
    }
}
