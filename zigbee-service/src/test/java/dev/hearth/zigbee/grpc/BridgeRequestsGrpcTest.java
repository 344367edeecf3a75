package dev.hearth.zigbee.grpc;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.LAMP;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.PLUG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.GetDeviceRequest;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.PermitJoinRequest;
import dev.hearth.proto.v1.RenameDeviceRequest;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.zigbee.SimulatedHome;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Permit-join and rename through Zigbee2MQTT's request/response API (2.x payloads). */
@QuarkusTest
class BridgeRequestsGrpcTest extends SimulatedHome {

    private static final Duration CALL = Duration.ofSeconds(15);

    @GrpcClient("self")
    MutinyZigbeeGrpc.MutinyZigbeeStub zigbee;

    @Test
    void permitJoinCountsDownAsEventsUntilItCloses() {
        List<DeviceEvent> events = new CopyOnWriteArrayList<>();
        Cancellable watch = zigbee.watchEvents(WatchEventsRequest.getDefaultInstance()).subscribe().with(events::add);
        try {
            CommandResult opened = zigbee.permitJoin(PermitJoinRequest.newBuilder().setSeconds(4).build())
                    .await().atMost(CALL);
            assertThat(opened.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
            assertThat(new JsonObject(opened.getStateJson()).getInteger("time")).isEqualTo(4);
            JsonObject request = sim.requests().get(sim.requests().size() - 1);
            assertThat(request.getString("topic")).isEqualTo("bridge/request/permit_join");
            assertThat(request.getInteger("time")).isEqualTo(4);
            assertThat(request.containsKey("value")).as("2.x takes no value").isFalse();
            assertThat(request.getString("transaction")).isNotBlank();

            await().atMost(PATIENCE).until(() -> permitJoin(events).stream()
                    .anyMatch(p -> !p.getBoolean("permit_join")));
            List<JsonObject> countdown = permitJoin(events);
            assertThat(countdown.get(0).getBoolean("permit_join")).isTrue();
            List<Long> remaining = countdown.stream().filter(p -> p.getBoolean("permit_join"))
                    .map(p -> p.getLong("remaining_s")).toList();
            // One a second (how many depends on the machine's load): 4, 3, 2, 1, then closed.
            assertThat(remaining).as(events.toString()).hasSizeGreaterThanOrEqualTo(2).startsWith(4L)
                    .isSortedAccordingTo((a, b) -> Long.compare(b, a));
            assertThat(remaining.get(remaining.size() - 1)).isLessThan(4L);
            assertThat(countdown.get(countdown.size() - 1).getLong("remaining_s")).isZero();
        } finally {
            watch.cancel();
        }
    }

    @Test
    void renameMovesTheDeviceAndItsState() {
        CommandResult renamed = zigbee.renameDevice(RenameDeviceRequest.newBuilder().setDevice(PLUG)
                .setNewName("Espresso plug").build()).await().atMost(CALL);
        assertThat(renamed.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_CONFIRMED);
        assertThat(new JsonObject(renamed.getStateJson()).getString("to")).isEqualTo("Espresso plug");
        // Applied as the bridge confirmed it, not only when the next device list comes.
        assertThat(registry.find("Espresso plug")).isPresent();
        JsonObject state = new JsonObject(zigbee.getDevice(GetDeviceRequest.newBuilder().setDevice("espresso plug")
                .build()).await().atMost(CALL).getStateJson());
        assertThat(state.getDouble("energy")).isEqualTo(12.41);
    }

    @Test
    void aRefusedRequestIsAClearFailure() {
        Throwable taken = zigbee.renameDevice(RenameDeviceRequest.newBuilder().setDevice(PLUG).setNewName(LAMP).build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(Status.fromThrowable(taken).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(Status.fromThrowable(taken).getDescription()).contains("already in use");
        assertThat(registry.find(PLUG)).isPresent();

        Throwable badName = zigbee.renameDevice(RenameDeviceRequest.newBuilder().setDevice(PLUG).setNewName(" ").build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(Status.fromThrowable(badName).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        Throwable tooLong = zigbee.permitJoin(PermitJoinRequest.newBuilder().setSeconds(600).build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(Status.fromThrowable(tooLong).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aBridgeThatDoesNotAnswerTimesOut() {
        sim.silenceRequests(true);
        Throwable failure = zigbee.permitJoin(PermitJoinRequest.newBuilder().setSeconds(60).build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(CALL);
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(Status.fromThrowable(failure).getDescription()).contains("did not answer")
                .contains("bridge/request/permit_join");
    }

    private static List<JsonObject> permitJoin(List<DeviceEvent> events) {
        return events.stream().filter(e -> e.getKind().equals("permit_join"))
                .map(e -> new JsonObject(e.getPayloadJson())).toList();
    }
}
