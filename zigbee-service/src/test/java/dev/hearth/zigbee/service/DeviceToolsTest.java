package dev.hearth.zigbee.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.zigbee.ZigbeeDevice;
import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool names and descriptions, without a broker. */
class DeviceToolsTest {

    private static ZigbeeDevice device(String ieee, String name, String sample) {
        return new ZigbeeDevice(ieee, name, "Router", "IKEA", "LED1545G12", "TRADFRI bulb", true,
                Zigbee2MqttSimulator.exposesOf(sample), null, true);
    }

    @Test
    void namesAreShortSlugsAndCollisionsGetAnIeeeSuffix() {
        assertThat(DeviceTools.slug("Küche Decke (links)")).isEqualTo("k_che_decke_links");
        assertThat(DeviceTools.slug("!!!")).isEqualTo("device");
        assertThat(DeviceTools.slug("A".repeat(80))).hasSize(48);

        DeviceTools.Catalog catalog = DeviceTools.build(7, List.of(
                device("0x000b57fffe000001", "Hall light", Zigbee2MqttSimulator.DEAF_LIGHT),
                device("0x000b57fffe000002", "Hall-light", Zigbee2MqttSimulator.DEAF_LIGHT),
                device("0x000b57fffe000003", "B".repeat(60), Zigbee2MqttSimulator.DEAF_LIGHT),
                device("0x000b57fffe000004", "Empty", Zigbee2MqttSimulator.DEAF_LIGHT)
                        .withState(null),
                new ZigbeeDevice("0x00", "Coordinator", "Coordinator", "", "", "", true, new JsonArray(), null, null),
                new ZigbeeDevice("0x05", "Unsupported", "EndDevice", "", "", "", false, new JsonArray(), null, null)),
                d -> false, d -> "normal", d -> java.util.Optional.empty());
        assertThat(catalog.revision()).isEqualTo(7);
        assertThat(catalog.tools()).extracting(DeviceTools.DeviceTool::name).containsExactly("hall_light_0001",
                "hall_light_0002", "b".repeat(48), "empty");
        assertThat(catalog.tools()).allSatisfy(t -> assertThat(t.name()).matches("[a-z0-9_]{1,48}"));
    }

    @Test
    void theDescriptionSaysWhatTheDeviceIsAndCanDo() {
        String description = DeviceTools.describe(device("0x1", "Hall light", Zigbee2MqttSimulator.DEAF_LIGHT),
                "normal", false, "Hall");
        assertThat(description).contains("'Hall light'").contains("IKEA LED1545G12 (TRADFRI bulb)").contains("a light in the room 'Hall'")
                .contains("state (ON/OFF/TOGGLE)").contains("brightness (0–254)")
                .contains("color_temp (250–454 mired)").contains("Reports: linkquality");
    }
}
