package dev.hearth.zigbee.grpc;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import dev.hearth.proto.v1.ToolSpec;
import dev.hearth.zigbee.SimulatedHome;
import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The devices as tools: the catalog, reading, confirmed commands, validation and the risk policy. */
@QuarkusTest
class DeviceToolServiceTest extends SimulatedHome {

    private static final Duration CALL = Duration.ofSeconds(15);

    @GrpcClient("self")
    MutinyToolServiceGrpc.MutinyToolServiceStub tools;

    @Test
    void oneToolPerDeviceWithASchemaFromItsWritableExposes() {
        ListToolsResponse list = list();
        assertThat(list.getToolsList()).extracting(ToolSpec::getName).containsExactlyInAnyOrder("living_room_lamp",
                "coffee_machine_plug", "front_door_lock", "bedroom_radiator", "bathroom_sensor", "garden_socket",
                "hall_light", "kitchen_switch", "hallway_siren");
        await().atMost(PATIENCE).until(() -> tool(list(), "living_room_lamp").getDescription().contains("Living room'"));
        list = list();
        ToolSpec lamp = tool(list, "living_room_lamp");
        assertThat(lamp.getDescription()).contains("Living room lamp").contains("Philips 9290022166")
                .contains("a light in the room 'Living room'").contains("brightness (0–254)").contains("no arguments");
        JsonObject schema = new JsonObject(lamp.getInputSchemaJson());
        assertThat(schema.getString("type")).isEqualTo("object");
        JsonObject properties = schema.getJsonObject("properties");
        assertThat(properties.fieldNames()).contains("state", "brightness", "color_temp", "color", "effect",
                "transition").doesNotContain("linkquality", "confirm");
        assertThat(properties.getJsonObject("state").getJsonArray("enum")).containsExactly("ON", "OFF", "TOGGLE");
        assertThat(properties.getJsonObject("color").getJsonObject("properties").fieldNames())
                .containsExactlyInAnyOrder("x", "y", "hue", "saturation");

        JsonObject lock = new JsonObject(tool(list, "front_door_lock").getInputSchemaJson());
        assertThat(lock.getJsonObject("properties").getJsonObject("confirm").getString("description"))
                .contains("Ask the user first");
        assertThat(tool(list, "front_door_lock").getDescription()).contains("lock device").contains("\"confirm\": true");

        JsonObject sensor = new JsonObject(tool(list, "bathroom_sensor").getInputSchemaJson());
        assertThat(sensor.getJsonObject("properties").isEmpty()).isTrue();
        assertThat(tool(list, "bathroom_sensor").getDescription()).contains("read-only").contains("temperature");
        // An appliance in Hearth's device list: risky although its exposes are a plain switch.
        assertThat(new JsonObject(tool(list, "kitchen_switch").getInputSchemaJson()).getJsonObject("properties")
                .fieldNames()).contains("state_l1", "state_l2", "confirm");
        assertThat(tool(list, "coffee_machine_plug").getInputSchemaJson()).doesNotContain("confirm");
    }

    @Test
    void theVersionMovesWhenTheToolSetChangesAndCollisionsGetAnIeeeSuffix() {
        long before = list().getVersion();
        assertThat(list().getVersion()).isEqualTo(before);
        JsonObject twin = ((JsonObject) Zigbee2MqttSimulator.readDevices().stream()
                .filter(d -> LAMP.equals(((JsonObject) d).getString("friendly_name"))).findFirst().orElseThrow()).copy()
                .put("friendly_name", "Living-room lamp!").put("ieee_address", "0x0017880108ffee99");
        sim.addDevice(twin, new JsonObject().put("state", "OFF"));
        await().atMost(PATIENCE).until(() -> list().getVersion() != before);
        assertThat(list().getToolsList()).extracting(ToolSpec::getName)
                .contains("living_room_lamp_b4c5", "living_room_lamp_ee99").doesNotContain("living_room_lamp");
    }

    @Test
    void noArgumentsReadsTheDevice() {
        CallToolResponse read = call("bathroom_sensor", "{}");
        assertThat(read.getIsError()).isFalse();
        JsonObject result = new JsonObject(read.getResultJson());
        assertThat(result.getString("device")).isEqualTo("Bathroom sensor");
        assertThat(result.getJsonObject("state").getDouble("humidity")).isEqualTo(54.2);
        assertThat(result.getBoolean("available")).isTrue();
        assertThat(call("living_room_lamp", "").getIsError()).isFalse();
    }

    @Test
    void argumentsRunAConfirmedCommand() {
        JsonObject result = new JsonObject(call("living_room_lamp", "{\"state\":\"ON\",\"brightness\":50}")
                .getResultJson());
        assertThat(result.getString("outcome")).isEqualTo("confirmed");
        assertThat(result.getJsonObject("state").getInteger("brightness")).isEqualTo(50);
        assertThat(result.getString("device")).isEqualTo(LAMP);

        CallToolResponse optimistic = call("garden_socket", "{\"state\":\"ON\"}");
        assertThat(optimistic.getIsError()).isFalse();
        assertThat(new JsonObject(optimistic.getResultJson()).getString("outcome")).isEqualTo("optimistic_only");

        CallToolResponse unconfirmed = call("hall_light", "{\"state\":\"ON\"}");
        assertThat(unconfirmed.getIsError()).isTrue();
        JsonObject timeout = new JsonObject(unconfirmed.getResultJson());
        assertThat(timeout.getString("outcome")).isEqualTo("timeout");
        assertThat(timeout.getJsonObject("error").getString("code")).isEqualTo("not_confirmed");
    }

    @Test
    void badArgumentsAreToolErrorsWithAStableCode() {
        assertError(call("living_room_lamp", "{\"brightness\":999}"), "invalid_arguments", "between 0 and 254");
        assertError(call("living_room_lamp", "{\"brightness\":true}"), "invalid_arguments", "must be a number");
        assertError(call("living_room_lamp", "{\"effect\":\"disco\"}"), "invalid_arguments", "blink");
        assertError(call("living_room_lamp", "{\"volume\":3}"), "invalid_arguments", "unknown property");
        assertError(call("living_room_lamp", "[1,2]"), "invalid_arguments", "JSON object");
        assertError(call("coffee_machine_plug", "{\"energy\":0}"), "read_only", "energy");
        assertError(call("bathroom_sensor", "{\"temperature\":19}"), "read_only", "temperature");
        assertError(call("bedroom_radiator", "{\"local_temperature\":25,\"confirm\":true}"), "read_only",
                "local_temperature");
    }

    @Test
    void riskyDevicesNeedConfirm() {
        assertError(call("front_door_lock", "{\"state\":\"UNLOCK\"}"), "confirmation_required", "ask the user");
        assertError(call("hallway_siren", "{\"warning\":{\"mode\":\"burglar\",\"duration\":5}}"),
                "confirmation_required", "alarm");
        assertError(call("front_door_lock", "{\"state\":\"UNLOCK\",\"confirm\":\"yes\"}"), "invalid_arguments",
                "confirm");
        JsonObject unlocked = new JsonObject(call("front_door_lock", "{\"state\":\"UNLOCK\",\"confirm\":true}")
                .getResultJson());
        assertThat(unlocked.getString("outcome")).isEqualTo("confirmed");
        assertThat(call("bedroom_radiator", "{\"occupied_heating_setpoint\":22.5,\"confirm\":true}").getIsError())
                .isFalse();
    }

    @Test
    void anOfflineBridgeIsAToolError() {
        sim.bridgeState("offline");
        await().atMost(PATIENCE).until(() -> !bridge.online());
        assertError(call("living_room_lamp", "{\"state\":\"ON\"}"), "unavailable", "offline");
        // Reading still answers with the last known state.
        assertThat(call("living_room_lamp", "{}").getIsError()).isFalse();
    }

    @Test
    void anUnknownToolIsNotFound() {
        Throwable failure = tools.callTool(CallToolRequest.newBuilder().setName("garage_door").setArgumentsJson("{}")
                .build()).onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    private static void assertError(CallToolResponse response, String code, String messagePart) {
        assertThat(response.getIsError()).as(response.getResultJson()).isTrue();
        JsonObject error = new JsonObject(response.getResultJson()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("message")).containsIgnoringCase(messagePart);
    }

    private ListToolsResponse list() {
        return tools.listTools(ListToolsRequest.getDefaultInstance()).await().atMost(CALL);
    }

    private static ToolSpec tool(ListToolsResponse list, String name) {
        return list.getToolsList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private CallToolResponse call(String name, String arguments) {
        return tools.callTool(CallToolRequest.newBuilder().setName(name).setArgumentsJson(arguments).build())
                .await().atMost(CALL);
    }

}
