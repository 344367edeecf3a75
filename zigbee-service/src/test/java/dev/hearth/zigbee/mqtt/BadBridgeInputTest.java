package dev.hearth.zigbee.mqtt;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LAMP;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SENSOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.zigbee.SimulatedHome;
import dev.hearth.zigbee.ZigbeeDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Junk from the bridge: each message is counted and logged, never thrown into the MQTT client; the
 * registry keeps what it had and the next good message is taken as usual, on the same connection.
 */
@QuarkusTest
class BadBridgeInputTest extends SimulatedHome {

    @Inject
    BridgeMessageHandler handler;

    @Test
    void malformedBridgeMessagesLeaveTheRegistryIntact() {
        long junkBefore = handler.junkCount();
        int sessions = broker.sessions();
        long revision = registry.revision();

        sim.junk("bridge/devices", "this is not json", true);
        sim.junk("bridge/devices", "{\"devices\":[]}", true);
        sim.junk("bridge/devices", "[{\"friendly_name\":\"No address\"}]", true);
        sim.junk("bridge/devices", "[{\"ieee_address\":\"0x1\",\"friendly_name\":\"Odd\",\"definition\":"
                + "{\"exposes\":{\"type\":\"binary\"}}}]", true);
        sim.junk("bridge/info", "<html>", true);
        sim.junk("bridge/event", "[]", false);
        sim.junk("bridge/state", "{}", true);
        sim.junk(LAMP, "ON", false);
        sim.junk(LAMP, "[1,2,3]", false);
        sim.junk(LAMP + "/availability", "maybe", true);
        sim.junk("Ghost lamp", "{\"state\":\"ON\"}", false);
        sim.change(SENSOR, new JsonObject().put("temperature", 30.5));

        await().atMost(PATIENCE).until(() -> registry.find(SENSOR).map(ZigbeeDevice::state)
                .map(s -> s.getDouble("temperature")).orElse(0.0) == 30.5);
        assertThat(handler.junkCount() - junkBefore).isEqualTo(11);
        assertThat(registry.devices()).hasSize(DEVICES);
        assertThat(registry.revision()).isEqualTo(revision);
        ZigbeeDevice lamp = registry.find(LAMP).orElseThrow();
        assertThat(lamp.exposes().encode()).contains("color_xy");
        assertThat(lamp.state().getInteger("brightness")).isEqualTo(120);
        assertThat(lamp.available()).isTrue();
        assertThat(registry.find("Ghost lamp")).isEmpty();
        assertThat(bridge.online()).isTrue();
        assertThat(broker.sessions()).as("the connection was never dropped").isEqualTo(sessions);
        assertThat(broker.connected()).isTrue();

        // A good device list after the junk is taken as usual.
        sim.publishDevices();
        sim.change(LAMP, new JsonObject().put("brightness", 10));
        await().atMost(PATIENCE).until(() -> registry.find(LAMP).orElseThrow().state().getInteger("brightness") == 10);
    }
}
