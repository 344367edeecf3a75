package dev.hearth.zigbee.grpc;

import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.DEAF_LIGHT;
import static dev.hearth.zigbee.sim.Zigbee2MqttSimulator.SENSOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.zigbee.SimulatedHome;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One hot stream of device events for every watcher. */
@QuarkusTest
class WatchEventsGrpcTest extends SimulatedHome {

    @GrpcClient("self")
    MutinyZigbeeGrpc.MutinyZigbeeStub zigbee;

    @Test
    void twoWatchersSeeTheSameEventsAndOneLeavingLeavesTheOther() {
        List<DeviceEvent> first = new CopyOnWriteArrayList<>();
        List<DeviceEvent> second = new CopyOnWriteArrayList<>();
        Cancellable a = zigbee.watchEvents(WatchEventsRequest.getDefaultInstance()).subscribe().with(first::add);
        Cancellable b = zigbee.watchEvents(WatchEventsRequest.getDefaultInstance()).subscribe().with(second::add);
        try {
            // Both watchers are subscribed once both saw a state change.
            await().atMost(PATIENCE).until(() -> {
                sim.change(SENSOR, new JsonObject().put("temperature", 20.0));
                return has(first, "state", SENSOR) && has(second, "state", SENSOR);
            });
            sim.availability(DEAF_LIGHT, false);
            await().atMost(PATIENCE).until(() -> has(first, "availability", DEAF_LIGHT)
                    && has(second, "availability", DEAF_LIGHT));
            DeviceEvent offline = first.stream().filter(e -> e.getKind().equals("availability")).findFirst()
                    .orElseThrow();
            assertThat(new JsonObject(offline.getPayloadJson()).getString("state")).isEqualTo("offline");
            assertThat(offline.getAtMs()).isPositive();
            assertThat(offline.getIeeeAddress()).isNotBlank();

            a.cancel();
            sim.bridgeState("offline");
            await().atMost(PATIENCE).until(() -> has(second, "bridge_state", ""));
            assertThat(new JsonObject(second.stream().filter(e -> e.getKind().equals("bridge_state")).findFirst()
                    .orElseThrow().getPayloadJson()).getString("state")).isEqualTo("offline");
        } finally {
            a.cancel();
            b.cancel();
        }
    }

    private static boolean has(List<DeviceEvent> events, String kind, String device) {
        return events.stream().anyMatch(e -> e.getKind().equals(kind) && e.getDevice().equals(device));
    }
}
