package dev.hearth.router.health;

import dev.hearth.router.config.ConfigFollower;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The config version the router's caches reflect, as data. Always up: stale caches still answer
 * (the periodic check catches up), and a router without Redis must keep serving.
 */
@Readiness
@ApplicationScoped
public class ConfigVersionReadiness implements HealthCheck {

    private final ConfigFollower follower;

    public ConfigVersionReadiness(ConfigFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("config-version").up()
                .withData("version", follower.appliedVersion())
                .withData("in_sync", follower.inSync())
                .withData("subscribed", follower.subscribed())
                .withData("resyncs", follower.resyncs())
                .build();
    }
}
