package dev.hearth.infra.testing;

import dev.hearth.infra.MqttBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared MQTT broker (found or embedded) with a Zigbee2MQTT base topic of this test class's
 * own, so parallel runs never see each other's device messages. Overrides {@code hearth.mqtt.*}
 * and {@code hearth.zigbee.base-topic}.
 */
public class MqttTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        MqttBroker broker = SharedInfra.mqtt();
        Map<String, String> config = new HashMap<>();
        config.put("hearth.mqtt.host", broker.endpoint().host());
        config.put("hearth.mqtt.port", String.valueOf(broker.endpoint().port()));
        if (broker.username() != null) {
            config.put("hearth.mqtt.username", broker.username());
        }
        if (broker.password() != null) {
            config.put("hearth.mqtt.password", broker.password());
        }
        config.put("hearth.zigbee.base-topic", UniqueNames.zigbeeBaseTopic());
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared and stopped at JVM exit; topics are unique, nothing to clean.
    }
}
