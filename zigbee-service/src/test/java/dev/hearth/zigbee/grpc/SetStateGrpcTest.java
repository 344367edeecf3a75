package dev.hearth.zigbee.grpc;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.DEAF_LIGHT;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LAMP;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LOCK;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.PLUG;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SENSOR;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SILENT_SOCKET;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SWITCH_2GANG;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.THERMOSTAT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.SetStateRequest;
import dev.hearth.zigbee.SimulatedHome;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SetState against the simulated bridge: each outcome (confirmed by a report, confirmed by read-back,
 * optimistic only, timeout), the risk policy, and every way a command is refused before it is sent.
 */
@QuarkusTest
class SetStateGrpcTest extends SimulatedHome {

    private static final Duration CALL = Duration.ofSeconds(15);

    @GrpcClient("self")
    MutinyZigbeeGrpc.MutinyZigbeeStub zigbee;

    @Test
    void confirmedWhenTheDeviceReportsEveryRequestedValue() {
        CommandResult result = set(LAMP, new JsonObject().put("state", "on").put("brightness", 200).put("transition", 1),
                false);
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        JsonObject state = new JsonObject(result.getStateJson());
        assertThat(state.getString("state")).isEqualTo("ON");
        assertThat(state.getInteger("brightness")).isEqualTo(200);
        assertThat(sim.gets()).doesNotContain(LAMP);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hearth_zigbee_commands_total{outcome=\"confirmed\"}"));
    }

    @Test
    void confirmedDespiteRoundingAndByToggle() {
        // The valve stores half degrees: 21.3 comes back as 21.5.
        CommandResult setpoint = set(THERMOSTAT, new JsonObject().put("occupied_heating_setpoint", 21.3), true);
        assertThat(setpoint.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        assertThat(new JsonObject(setpoint.getStateJson()).getDouble("occupied_heating_setpoint")).isEqualTo(21.5);

        CommandResult toggled = set(PLUG, new JsonObject().put("state", "TOGGLE"), false);
        assertThat(toggled.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        assertThat(new JsonObject(toggled.getStateJson()).getString("state")).isEqualTo("OFF");

        CommandResult gang = set(SWITCH_2GANG, new JsonObject().put("state_l1", "ON"), true);
        assertThat(gang.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
    }

    @Test
    void confirmedByReadingBackWhatTheDeviceDoesNotReport() {
        // The Hue lamp reports state and brightness by itself, its color temperature only when asked.
        CommandResult result = set(LAMP, new JsonObject().put("color_temp", "cool"), false);
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        assertThat(result.getMessage()).contains("reading [color_temp] back");
        assertThat(new JsonObject(result.getStateJson()).getInteger("color_temp")).isEqualTo(250);
        assertThat(sim.gets()).contains(LAMP);
    }

    @Test
    void optimisticOnlyWhenNothingComesBackAndNothingCanBeRead() {
        CommandResult result = set(SILENT_SOCKET, new JsonObject().put("state", "ON"), false);
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_OPTIMISTIC_ONLY);
        assertThat(result.getMessage()).contains("no state report").contains("can be read back");
        assertThat(sim.gets()).doesNotContain(SILENT_SOCKET);
    }

    @Test
    void timeoutWhenTheDeviceAnswersNeitherTheSetNorTheGet() {
        long started = System.nanoTime();
        CommandResult result = zigbee.setState(SetStateRequest.newBuilder().setDevice(DEAF_LIGHT)
                .setStateJson("{\"state\":\"ON\"}").setTimeoutMs(1500).build()).await().atMost(CALL);
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_TIMEOUT);
        assertThat(result.getMessage()).contains("did not report").contains("1500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(sim.gets()).contains(DEAF_LIGHT);
        assertThat(new JsonObject(result.getStateJson()).getString("state")).isEqualTo("OFF");
    }

    @Test
    void riskyDevicesNeedTheUsersConfirmation() {
        Status refused = failure(LOCK, "{\"state\":\"UNLOCK\"}", false);
        assertThat(refused.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getDescription()).startsWith("confirmation_required").contains("lock");
        assertThat(sim.state(LOCK).getString("state")).isEqualTo("LOCK");

        CommandResult unlocked = set(LOCK, new JsonObject().put("state", "UNLOCK"), true);
        assertThat(unlocked.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        assertThat(new JsonObject(unlocked.getStateJson()).getString("lock_state")).isEqualTo("unlocked");

        assertThat(failure(THERMOSTAT, "{\"occupied_heating_setpoint\":22}", false).getDescription())
                .startsWith("confirmation_required");
        // Hearth's device list marks the switch as an appliance, a class the tests' confirm-classes include.
        await().atMost(PATIENCE).until(() -> failure(SWITCH_2GANG, "{\"state_l2\":\"OFF\"}", false).getDescription()
                .startsWith("confirmation_required: 'Kitchen switch' is a risky device (appliance)"));
    }

    @Test
    void badCommandsAreRefusedBeforeAnythingIsSent() {
        Status outOfRange = failure(LAMP, "{\"brightness\":300}", false);
        assertThat(outOfRange.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(outOfRange.getDescription()).contains("brightness").contains("254").contains("300");

        Status wrongType = failure(LAMP, "{\"brightness\":\"bright\"}", false);
        assertThat(wrongType.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(wrongType.getDescription()).contains("brightness").contains("number");

        Status notInEnum = failure(LAMP, "{\"state\":\"DIM\"}", false);
        assertThat(notInEnum.getDescription()).contains("state").contains("TOGGLE");

        Status readOnly = failure(PLUG, "{\"power\":100}", false);
        assertThat(readOnly.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(readOnly.getDescription()).startsWith("read_only").contains("power");

        Status sensor = failure(SENSOR, "{\"temperature\":20}", false);
        assertThat(sensor.getDescription()).startsWith("read_only");

        Status unknownProperty = failure(LAMP, "{\"colour\":\"red\"}", false);
        assertThat(unknownProperty.getDescription()).contains("unknown property `colour`").contains("brightness");

        Status notJson = failure(LAMP, "ON please", false);
        assertThat(notJson.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        Status unknownDevice = failure("Garage door", "{\"state\":\"ON\"}", true);
        assertThat(unknownDevice.getCode()).isEqualTo(Status.Code.NOT_FOUND);

        // Not one of these reached the radio.
        assertThat(sim.state(LAMP).getInteger("brightness")).isEqualTo(120);
    }

    @Test
    void unavailableWhileTheBridgeIsOffline() {
        sim.bridgeState("offline");
        await().atMost(PATIENCE).until(() -> !bridge.online());
        Status offline = failure(LAMP, "{\"state\":\"ON\"}", false);
        assertThat(offline.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(offline.getDescription()).contains("offline");
    }

    private CommandResult set(String device, JsonObject state, boolean confirmed) {
        return zigbee.setState(SetStateRequest.newBuilder().setDevice(device).setStateJson(state.encode())
                .setConfirmed(confirmed).build()).await().atMost(CALL);
    }

    private Status failure(String device, String stateJson, boolean confirmed) {
        Throwable failure = zigbee.setState(SetStateRequest.newBuilder().setDevice(device).setStateJson(stateJson)
                .setConfirmed(confirmed).build()).onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(failure).as("a failure").isNotNull();
        return Status.fromThrowable(failure);
    }
}
