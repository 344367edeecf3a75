package dev.hearth.zigbee.grpc;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.DEAF_LIGHT;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LAMP;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LOCK;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.PLUG;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SENSOR;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SIREN;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.THERMOSTAT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.GetDeviceRequest;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.zigbee.SimulatedHome;
import dev.hearth.zigbee.client.FakeConfigService;
import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The home's live model from Zigbee2MQTT 2.x payloads, served by ListDevices/GetDevice. */
@QuarkusTest
class DeviceRegistryGrpcTest extends SimulatedHome {

    private static final Duration CALL = Duration.ofSeconds(10);

    @GrpcClient("self")
    MutinyZigbeeGrpc.MutinyZigbeeStub zigbee;

    @Test
    void listsEveryDeviceButTheCoordinatorWithExposesStateAndClass() {
        List<Device> devices = zigbee.listDevices(ListDevicesRequest.getDefaultInstance()).await().atMost(CALL)
                .getDevicesList();
        assertThat(devices).hasSize(DEVICES).extracting(Device::getFriendlyName).doesNotContain("Coordinator")
                .contains(LAMP, PLUG, LOCK, THERMOSTAT, SENSOR);
        Device lamp = devices.stream().filter(d -> d.getFriendlyName().equals(LAMP)).findFirst().orElseThrow();
        assertThat(lamp.getVendor()).isEqualTo("Philips");
        assertThat(lamp.getModel()).isEqualTo("9290022166");
        assertThat(lamp.getType()).isEqualTo("Router");
        assertThat(lamp.getAvailable()).isTrue();
        assertThat(lamp.getExposesJson()).contains("color_xy");
        assertThat(new JsonObject(lamp.getStateJson()).getInteger("brightness")).isEqualTo(120);
        assertThat(lamp.getRiskClass()).isEqualTo("normal");
        assertThat(lamp.getToolName()).isEqualTo("living_room_lamp");

        assertThat(get(LOCK).getRiskClass()).isEqualTo("lock");
        // Rooms come from Hearth's own device list (mcp-config-service), by IEEE address.
        await().atMost(PATIENCE).until(() -> get(LAMP).getRoom().equals(FakeConfigService.LAMP_ROOM));
        assertThat(get(LOCK).getRoom()).isEqualTo(FakeConfigService.LOCK_ROOM);
        assertThat(get(PLUG).getRoom()).isEmpty();
        assertThat(get(THERMOSTAT).getRiskClass()).isEqualTo("climate");
        assertThat(get(SIREN).getRiskClass()).isEqualTo("alarm");
        assertThat(get(PLUG).getRiskClass()).isEqualTo("normal"); // a child_lock switch is no lock
    }

    @Test
    void findsADeviceByFriendlyNameOrIeeeInAnyCase() {
        String ieee = Zigbee2MqttSimulator.ieeeOf(SENSOR);
        assertThat(get("  bathroom SENSOR ").getIeeeAddress()).isEqualTo(ieee);
        assertThat(get(ieee.toUpperCase().replace("0X", "0x")).getFriendlyName()).isEqualTo(SENSOR);
        assertThat(new JsonObject(get(ieee).getStateJson()).getDouble("temperature")).isEqualTo(22.81);
    }

    @Test
    void anUnknownDeviceIsNotFound() {
        Throwable failure = zigbee.getDevice(GetDeviceRequest.newBuilder().setDevice("Garage door").build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(Status.fromThrowable(failure).getDescription()).contains("Garage door");
    }

    @Test
    void stateReportsAndAvailabilityUpdateTheDevice() {
        sim.change(SENSOR, new JsonObject().put("temperature", 23.4));
        await().atMost(PATIENCE).until(() -> new JsonObject(get(SENSOR).getStateJson()).getDouble("temperature") == 23.4);
        // A report carries what changed: the rest of the state stays.
        assertThat(new JsonObject(get(SENSOR).getStateJson()).getDouble("humidity")).isEqualTo(54.2);

        sim.availability(DEAF_LIGHT, false);
        await().atMost(PATIENCE).until(() -> !get(DEAF_LIGHT).getAvailable());
        sim.availability(DEAF_LIGHT, true);
        await().atMost(PATIENCE).until(() -> get(DEAF_LIGHT).getAvailable());
    }

    @Test
    void aRenameInTheDeviceListMovesStateAndAvailabilityToTheNewName() {
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        Cancellable watch = zigbee.watchEvents(WatchEventsRequest.getDefaultInstance()).subscribe().with(events::add);
        try {
            await().atMost(PATIENCE).until(() -> {
                sim.change(PLUG, new JsonObject().put("power", 1500.5));
                return events.stream().anyMatch(e -> e.getKind().equals("state") && e.getDevice().equals(PLUG));
            });
            sim.renameElsewhere(PLUG, "Espresso plug");
            await().atMost(PATIENCE).until(() -> registry.find("Espresso plug").isPresent());
            Device renamed = get("espresso plug");
            assertThat(renamed.getIeeeAddress()).isEqualTo(Zigbee2MqttSimulator.ieeeOf(PLUG));
            assertThat(new JsonObject(renamed.getStateJson()).getDouble("power")).isEqualTo(1500.5);
            assertThat(renamed.getAvailable()).isTrue();
            assertThat(renamed.getToolName()).isEqualTo("espresso_plug");
            assertThat(registry.find(PLUG)).isEmpty();
            await().atMost(PATIENCE).until(() -> events.stream().anyMatch(e -> e.getKind().equals("renamed")
                    && e.getDevice().equals("Espresso plug")
                    && new JsonObject(e.getPayloadJson()).getString("from").equals(PLUG)));
            assertThat(events).anyMatch(e -> e.getKind().equals("devices"));
        } finally {
            watch.cancel();
        }
    }

    @Test
    void bridgeEventsBecomeDeviceEventsAndALeaveRemovesTheDevice() {
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        Cancellable watch = zigbee.watchEvents(WatchEventsRequest.getDefaultInstance()).subscribe().with(events::add);
        try {
            String newcomer = "0x54ef441000a1b2c3";
            await().atMost(PATIENCE).until(() -> {
                sim.event("device_joined", new JsonObject().put("friendly_name", newcomer).put("ieee_address", newcomer));
                return events.stream().anyMatch(e -> e.getKind().equals("joined"));
            });
            sim.event("device_announce", new JsonObject().put("friendly_name", newcomer).put("ieee_address", newcomer));
            sim.event("device_interview", new JsonObject().put("friendly_name", newcomer).put("ieee_address", newcomer)
                    .put("status", "successful").put("supported", true));
            String sirenIeee = Zigbee2MqttSimulator.ieeeOf(SIREN);
            sim.event("device_leave", new JsonObject().put("friendly_name", SIREN).put("ieee_address", sirenIeee));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(events).extracting(DeviceEvent::getKind)
                    .contains("joined", "announce", "interview", "left"));
            DeviceEvent joined = events.stream().filter(e -> e.getKind().equals("joined")).findFirst().orElseThrow();
            assertThat(joined.getIeeeAddress()).isEqualTo(newcomer);
            DeviceEvent interview = events.stream().filter(e -> e.getKind().equals("interview")).findFirst()
                    .orElseThrow();
            assertThat(new JsonObject(interview.getPayloadJson()).getString("status")).isEqualTo("successful");
            await().atMost(PATIENCE).until(() -> registry.find(SIREN).isEmpty());
        } finally {
            watch.cancel();
        }
    }

    @Test
    void readyWhileConnectedToTheBroker() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'mqtt-broker' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'mqtt-broker' }.data.bridge", equalTo("online"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hearth_zigbee_mqtt_connected 1.0"))
                .body(containsString("hearth_zigbee_devices 9.0"));
    }

    private Device get(String device) {
        return zigbee.getDevice(GetDeviceRequest.newBuilder().setDevice(device).build()).await().atMost(CALL);
    }
}
