package dev.hearth.gateway.health;

import dev.hearth.gateway.security.ConfigChangeListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The config version the gateway's caches reflect, as data. Always up: cached verdicts expire on
 * their own and the periodic check catches up, so Redis trouble must not take the gateway out.
 */
@Readiness
@ApplicationScoped
public class ConfigVersionReadiness implements HealthCheck {

    private final ConfigChangeListener listener;

    public ConfigVersionReadiness(ConfigChangeListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("config-version").up()
                .withData("version", listener.appliedVersion())
                .withData("in_sync", listener.inSync())
                .withData("subscribed", listener.subscribed())
                .withData("resyncs", listener.resyncs())
                .build();
    }
}
