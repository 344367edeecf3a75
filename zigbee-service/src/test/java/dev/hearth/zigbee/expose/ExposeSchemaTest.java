package dev.hearth.zigbee.expose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The exposes → JSON Schema converter, on exposes as Zigbee2MQTT emits them for real devices. */
class ExposeSchemaTest {

    private static JsonObject schema(String device, boolean confirm) {
        return ExposeSchema.inputSchema(Zigbee2MqttSimulator.exposesOf(device), confirm);
    }

    @Test
    void aColorLightFlattensItsFeaturesAndMergesBothColorComposites() {
        JsonObject schema = schema(Zigbee2MqttSimulator.LAMP, false);
        assertThat(schema.getString("type")).isEqualTo("object");
        assertThat(schema.getBoolean("additionalProperties")).isFalse();
        JsonObject properties = schema.getJsonObject("properties");
        assertThat(properties.fieldNames()).containsExactly("state", "brightness", "color_temp", "color_temp_startup",
                "color", "effect", "power_on_behavior", "transition");

        JsonObject state = properties.getJsonObject("state");
        assertThat(state.getString("type")).isEqualTo("string");
        assertThat(state.getJsonArray("enum")).containsExactly("ON", "OFF", "TOGGLE");
        assertThat(state.getString("description")).isEqualTo("On/off state of this light");

        JsonObject brightness = properties.getJsonObject("brightness");
        assertThat(brightness.getString("type")).isEqualTo("number"); // Zigbee2MQTT gives brightness no step
        assertThat(brightness.getInteger("minimum")).isZero();
        assertThat(brightness.getInteger("maximum")).isEqualTo(254);

        JsonObject colorTemp = properties.getJsonObject("color_temp");
        assertThat(colorTemp.getString("description")).contains("unit: mired").contains("presets: coolest=153")
                .contains("warmest=500");

        JsonObject color = properties.getJsonObject("color");
        assertThat(color.getString("type")).isEqualTo("object");
        assertThat(color.getJsonObject("properties").fieldNames()).containsExactly("x", "y", "hue", "saturation");
        assertThat(color.getJsonObject("properties").getJsonObject("x").getString("type")).isEqualTo("number");

        assertThat(properties.getJsonObject("effect").getJsonArray("enum")).contains("blink", "stop_effect");
    }

    @Test
    void readOnlyExposesAreLeftOutAndASensorHasNothingToSet() {
        JsonObject plug = schema(Zigbee2MqttSimulator.PLUG, false).getJsonObject("properties");
        assertThat(plug.fieldNames()).containsExactly("state", "power_outage_memory", "child_lock");
        assertThat(schema(Zigbee2MqttSimulator.SENSOR, false).getJsonObject("properties").isEmpty()).isTrue();
        // Nothing to set: no confirm either, even for a risky class.
        assertThat(schema(Zigbee2MqttSimulator.SENSOR, true).getJsonObject("properties").isEmpty()).isTrue();
    }

    @Test
    void climateStepsAndBooleanBinaries() {
        JsonObject properties = schema(Zigbee2MqttSimulator.THERMOSTAT, true).getJsonObject("properties");
        assertThat(properties.fieldNames()).containsExactly("occupied_heating_setpoint", "system_mode",
                "window_open_external", "confirm").doesNotContain("local_temperature", "running_state");
        JsonObject setpoint = properties.getJsonObject("occupied_heating_setpoint");
        assertThat(setpoint.getString("type")).isEqualTo("number"); // step 0.5 is not integral
        assertThat(setpoint.getInteger("minimum")).isEqualTo(5);
        assertThat(setpoint.getInteger("maximum")).isEqualTo(35);
        assertThat(setpoint.getString("description")).contains("°C");
        JsonObject window = properties.getJsonObject("window_open_external");
        assertThat(window.getString("type")).isEqualTo("boolean");
        assertThat(window.getJsonArray("enum")).containsExactly(true, false);
        assertThat(properties.getJsonObject("confirm").getString("type")).isEqualTo("boolean");
    }

    @Test
    void endpointsKeepZigbee2MqttsPropertyNames() {
        JsonObject properties = schema(Zigbee2MqttSimulator.SWITCH_2GANG, false).getJsonObject("properties");
        assertThat(properties.fieldNames()).containsExactly("state_l1", "state_l2");
    }

    @Test
    void aWarningCompositeIsANestedObject() {
        JsonObject warning = schema(Zigbee2MqttSimulator.SIREN, true).getJsonObject("properties")
                .getJsonObject("warning");
        assertThat(warning.getString("type")).isEqualTo("object");
        JsonObject features = warning.getJsonObject("properties");
        assertThat(features.fieldNames()).containsExactly("mode", "level", "strobe_level", "strobe",
                "strobe_duty_cycle", "duration");
        assertThat(features.getJsonObject("strobe_duty_cycle").getInteger("maximum")).isEqualTo(10);
        assertThat(features.getJsonObject("duration").getString("description")).contains("unit: s");
    }

    @Test
    void integralStepsListsAndTextFromAThermostatSchedule() {
        // A Tuya TRV's exposes (Zigbee2MQTT 1.3x): an integral step, a list of composites, a text.
        JsonArray exposes = new JsonArray("""
                [{"type":"climate","features":[
                  {"type":"numeric","name":"current_heating_setpoint","property":"current_heating_setpoint",
                   "access":3,"value_min":5,"value_max":30,"value_step":1,"unit":"°C"}]},
                 {"type":"list","name":"schedule_monday","property":"schedule_monday","access":3,"length_min":1,
                  "length_max":4,"item_type":{"type":"composite","name":"dayTime","features":[
                    {"type":"numeric","name":"hour","property":"hour","access":3,"value_min":0,"value_max":23},
                    {"type":"numeric","name":"temperature","property":"temperature","access":3}]}},
                 {"type":"text","name":"schedule_text","property":"schedule_text","access":3,
                  "description":"Schedule as text"}]
                """);
        JsonObject properties = ExposeSchema.inputSchema(exposes, false).getJsonObject("properties");
        assertThat(properties.getJsonObject("current_heating_setpoint").getString("type")).isEqualTo("integer");
        JsonObject list = properties.getJsonObject("schedule_monday");
        assertThat(list.getString("type")).isEqualTo("array");
        assertThat(list.getInteger("minItems")).isEqualTo(1);
        assertThat(list.getInteger("maxItems")).isEqualTo(4);
        assertThat(list.getJsonObject("items").getJsonObject("properties").fieldNames())
                .containsExactly("hour", "temperature");
        assertThat(properties.getJsonObject("schedule_text").getString("type")).isEqualTo("string");
    }

    @Test
    void riskClassesComeFromTheExposes() {
        assertThat(RiskClass.of(Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.LOCK))).isEqualTo(RiskClass.LOCK);
        assertThat(RiskClass.of(Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.THERMOSTAT)))
                .isEqualTo(RiskClass.CLIMATE);
        assertThat(RiskClass.of(Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.SIREN))).isEqualTo(RiskClass.ALARM);
        assertThat(RiskClass.of(Zigbee2MqttSimulator.exposesOf(Zigbee2MqttSimulator.PLUG))).isEqualTo(RiskClass.NORMAL);
        assertThat(RiskClass.of(new JsonArray("[{\"type\":\"cover\",\"features\":[{\"type\":\"enum\","
                + "\"property\":\"state\",\"access\":3,\"values\":[\"OPEN\",\"CLOSE\",\"STOP\"]}]}]")))
                .isEqualTo(RiskClass.COVER);
        assertThat(RiskClass.of(new JsonArray("[{\"type\":\"binary\",\"name\":\"squawk\",\"property\":\"squawk\","
                + "\"access\":2,\"value_on\":true,\"value_off\":false}]"))).isEqualTo(RiskClass.ALARM);
    }
}
