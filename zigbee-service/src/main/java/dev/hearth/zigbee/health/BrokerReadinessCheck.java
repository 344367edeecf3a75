package dev.hearth.zigbee.health;

import dev.hearth.zigbee.mqtt.BrokerConnection;
import dev.hearth.zigbee.service.BridgeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the MQTT broker connection is up: without it nothing about the home is current. The
 * bridge's own state is reported but does not decide readiness (Zigbee2MQTT restarting is not ours).
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    private final BrokerConnection broker;
    private final BridgeStatus bridge;

    public BrokerReadinessCheck(BrokerConnection broker, BridgeStatus bridge) {
        this.broker = broker;
        this.bridge = bridge;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt-broker").status(broker.connected())
                .withData("broker", broker.endpoint())
                .withData("bridge", bridge.state())
                .withData("zigbee2mqtt", bridge.version())
                .withData("error", broker.lastError())
                .build();
    }
}
