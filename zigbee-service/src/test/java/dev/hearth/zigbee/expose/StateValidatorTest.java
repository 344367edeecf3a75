package dev.hearth.zigbee.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Validation against real exposes, and when a report confirms a command. */
class StateValidatorTest {

    private static final JsonArray LAMP = Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.LAMP);
    private static final JsonArray SIREN = Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.SIREN);

    @Test
    void normalizesToZigbee2MqttsSpellingAndResolvesPresets() {
        JsonObject state = StateValidator.validate(LAMP, new JsonObject().put("state", "on").put("color_temp", "Warm")
                .put("color", new JsonObject().put("x", 0.3).put("y", 0.3)).put("effect", "BLINK")
                .put("transition", 2));
        assertThat(state).isEqualTo(new JsonObject().put("state", "ON").put("color_temp", 454)
                .put("color", new JsonObject().put("x", 0.3).put("y", 0.3)).put("effect", "blink")
                .put("transition", 2));
        assertThat(StateValidator.validate(LAMP, new JsonObject().put("color", new JsonObject().put("hex", "#FF8800")))
                .getJsonObject("color").getString("hex")).isEqualTo("#FF8800");
        // A preset may lie outside the range (65535: "previous").
        assertThat(StateValidator.validate(LAMP, new JsonObject().put("color_temp_startup", "previous"))
                .getInteger("color_temp_startup")).isEqualTo(65535);
    }

    @Test
    void refusesWhatTheDeviceCannotTake() {
        assertRefused(LAMP, new JsonObject(), "invalid_arguments", "at least one property");
        assertRefused(LAMP, new JsonObject().put("brightness", 255), "invalid_arguments", "between 0 and 254");
        assertRefused(LAMP, new JsonObject().put("brightness", -1), "invalid_arguments", "between 0 and 254");
        assertRefused(LAMP, new JsonObject().put("brightness", "50"), "invalid_arguments", "must be a number");
        assertRefused(LAMP, new JsonObject().put("state", true), "invalid_arguments", "[\"ON\",\"OFF\",\"TOGGLE\"]");
        assertRefused(LAMP, new JsonObject().put("color", "red"), "invalid_arguments", "an object");
        assertRefused(LAMP, new JsonObject().put("color", new JsonObject().put("z", 1)), "invalid_arguments",
                "color.z");
        assertRefused(LAMP, new JsonObject().put("linkquality", 10), "read_only", "linkquality");
        assertRefused(LAMP, new JsonObject().put("transition", -1), "invalid_arguments", "transition");
        assertRefused(SIREN, new JsonObject().put("warning", new JsonObject().put("mode", "party")),
                "invalid_arguments", "warning.mode");
        assertRefused(Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.SENSOR),
                new JsonObject().put("humidity", 40), "read_only", "humidity");
        // No transition for what is not a light.
        assertRefused(Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.PLUG),
                new JsonObject().put("transition", 1), "invalid_arguments", "unknown property");
    }

    @Test
    void aReportConfirmsWithinRoundingAndIgnoresTransition() {
        JsonObject requested = new JsonObject().put("state", "ON").put("brightness", 128).put("transition", 3);
        assertThat(StateMatch.missing(LAMP, requested, new JsonObject().put("state", "ON").put("brightness", 129)))
                .isEmpty();
        assertThat(StateMatch.missing(LAMP, requested, new JsonObject().put("state", "ON").put("brightness", 100)))
                .containsExactly("brightness");
        assertThat(StateMatch.missing(LAMP, requested, new JsonObject().put("state", "off").put("brightness", 128)))
                .containsExactly("state");
        assertThat(StateMatch.missing(LAMP, new JsonObject().put("state", "TOGGLE"), new JsonObject().put("state", "OFF")))
                .isEmpty();
        assertThat(StateMatch.missing(LAMP, new JsonObject().put("color", new JsonObject().put("x", 0.3).put("y", 0.3)),
                new JsonObject().put("color", new JsonObject().put("x", 0.3012).put("y", 0.2991).put("hue", 40))))
                .isEmpty();
        assertThat(StateMatch.missing(LAMP, new JsonObject().put("color", new JsonObject().put("hex", "#ff0000")),
                new JsonObject().put("color", new JsonObject().put("x", 0.7).put("y", 0.3)))).isEmpty();
        assertThat(StateMatch.readable(LAMP, new JsonObject().put("color_temp", 300).put("effect", "blink")))
                .containsExactly("color_temp");
    }

    private static void assertRefused(JsonArray exposes, JsonObject state, String code, String messagePart) {
        assertThatThrownBy(() -> StateValidator.validate(exposes, state))
                .isInstanceOfSatisfying(InvalidStateException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }
}
