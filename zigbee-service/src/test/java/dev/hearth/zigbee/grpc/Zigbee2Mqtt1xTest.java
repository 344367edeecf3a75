package dev.hearth.zigbee.grpc;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.DEAF_LIGHT;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.PermitJoinRequest;
import dev.hearth.proto.v1.SetStateRequest;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.zigbee.SimulatedHome;
import dev.hearth.zigbee.ZigbeeDevice;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Zigbee2MQTT 1.x: {@code bridge/state} and availability as bare strings, permit-join as
 * {@code {"value":…,"time":…}} answered with {@code value}, and the countdown from
 * {@code permit_join_timeout}. The home comes up the same (the base class waits for it).
 */
@QuarkusTest
class Zigbee2Mqtt1xTest extends SimulatedHome {

    private static final Duration CALL = Duration.ofSeconds(15);

    @GrpcClient("self")
    MutinyZigbeeGrpc.MutinyZigbeeStub zigbee;

    @Override
    protected String z2mVersion() {
        return "1.42.0";
    }

    @Test
    void theRegistryAndCommandsWorkOn1xPayloads() {
        assertThat(bridge.major()).isEqualTo(1);
        sim.availability(DEAF_LIGHT, false);
        await().atMost(PATIENCE).until(() -> Boolean.FALSE.equals(registry.find(DEAF_LIGHT)
                .map(ZigbeeDevice::available).orElse(null)));
        CommandResult result = zigbee.setState(SetStateRequest.newBuilder().setDevice(LAMP)
                .setStateJson("{\"state\":\"ON\"}").build()).await().atMost(CALL);
        assertThat(result.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        sim.bridgeState("offline");
        await().atMost(PATIENCE).until(() -> "offline".equals(bridge.state()));
    }

    @Test
    void permitJoinUsesThe1xRequestAndCountsDown() {
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        Cancellable watch = zigbee.watchEvents(WatchEventsRequest.getDefaultInstance()).subscribe().with(events::add);
        try {
            CommandResult opened = zigbee.permitJoin(PermitJoinRequest.newBuilder().setSeconds(3).build())
                    .await().atMost(CALL);
            assertThat(new JsonObject(opened.getStateJson()).getBoolean("value")).isTrue();
            JsonObject request = sim.requests().get(sim.requests().size() - 1);
            assertThat(request.getBoolean("value")).isTrue();
            assertThat(request.getInteger("time")).isEqualTo(3);
            await().atMost(PATIENCE).until(() -> events.stream().filter(e -> e.getKind().equals("permit_join"))
                    .map(e -> new JsonObject(e.getPayloadJson())).anyMatch(p -> !p.getBoolean("permit_join")));
            assertThat(events.stream().filter(e -> e.getKind().equals("permit_join"))
                    .map(e -> new JsonObject(e.getPayloadJson())).filter(p -> p.getBoolean("permit_join")))
                    .isNotEmpty();
        } finally {
            watch.cancel();
        }
    }
}
