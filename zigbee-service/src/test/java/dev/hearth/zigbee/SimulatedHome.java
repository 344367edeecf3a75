package dev.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.infra.testing.MqttTestResource;
import dev.hearth.zigbee.client.FakeConfigService;
import dev.hearth.zigbee.mqtt.BrokerConnection;
import dev.hearth.zigbee.service.BridgeStatus;
import dev.hearth.zigbee.service.DeviceRegistry;
import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh simulated home for every test: the simulator publishes everything Zigbee2MQTT would at
 * start, and the test begins once the service has taken it in; the simulator's retained topics are
 * cleared afterwards. The broker is real (shared, with a base topic of this run's own).
 */
@QuarkusTestResource(MqttTestResource.class)
@QuarkusTestResource(FakeConfigService.class)
public abstract class SimulatedHome {

    protected static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Devices a client sees: the simulator's list without the coordinator. */
    protected static final int DEVICES = 9;

    @Inject
    protected DeviceRegistry registry;

    @Inject
    protected BridgeStatus bridge;

    @Inject
    protected BrokerConnection broker;

    protected Zigbee2MqttSimulator sim;

    /** The Zigbee2MQTT version the simulator claims. */
    protected String z2mVersion() {
        return "2.1.3";
    }

    protected static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    @BeforeEach
    void startHome() {
        await().atMost(PATIENCE).until(broker::connected);
        sim = new Zigbee2MqttSimulator(config("hearth.mqtt.host"), Integer.parseInt(config("hearth.mqtt.port")),
                config("hearth.zigbee.base-topic")).version(z2mVersion()).start().publishAll();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(bridge.online()).as("bridge online").isTrue();
            assertThat(bridge.version()).isEqualTo(z2mVersion());
            assertThat(registry.devices()).hasSize(DEVICES);
            for (ZigbeeDevice device : registry.devices()) {
                assertThat(device.available()).as(device.friendlyName() + " available").isTrue();
                assertThat(stateCovers(device)).as(device.friendlyName() + " has " + device.state() + " not "
                        + sim.state(device.friendlyName())).isTrue();
            }
        });
    }

    private boolean stateCovers(ZigbeeDevice device) {
        return sim.state(device.friendlyName()).getMap().entrySet().stream()
                .allMatch(e -> Objects.equals(device.state().getValue(e.getKey()), e.getValue()));
    }

    @AfterEach
    void stopHome() {
        if (sim != null) {
            sim.close();
        }
    }
}
