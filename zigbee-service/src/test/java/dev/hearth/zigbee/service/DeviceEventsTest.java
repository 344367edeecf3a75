package dev.hearth.zigbee.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.zigbee.config.ZigbeeConfig;
import io.grpc.Status;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broadcast: a watcher that reads nothing is dropped without holding up the publisher or the others. */
class DeviceEventsTest {

    private static ZigbeeConfig config(int buffer) {
        return (ZigbeeConfig) java.lang.reflect.Proxy.newProxyInstance(ZigbeeConfig.class.getClassLoader(),
                new Class<?>[] {ZigbeeConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "watchBuffer" -> buffer;
                    case "orphanStates" -> 16;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aSlowWatcherIsFailedWithResourceExhaustedAndTheOthersGetEverything() {
        DeviceEvents events = new DeviceEvents(config(8));
        AssertSubscriber<DeviceEvent> slow = events.watch().subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<DeviceEvent> fast = events.watch().subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        long started = System.nanoTime();
        // Bursts of 4 (within the buffer of 8): the fast watcher keeps up, the slow one never reads.
        for (int i = 0; i < 600; i++) {
            events.publish("state", "Lamp", "0x1", new JsonObject().put("i", i));
            if (i % 4 == 3) {
                fast.awaitItems(i + 1, Duration.ofSeconds(10));
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("publishing never waits on the slow watcher")
                .isLessThan(Duration.ofSeconds(30));
        slow.awaitFailure(Duration.ofSeconds(10));
        assertThat(Status.fromThrowable(slow.getFailure()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(slow.getFailure()).getDescription()).contains("8 events behind");
        fast.awaitItems(600, Duration.ofSeconds(10));
        List<DeviceEvent> items = fast.getItems();
        assertThat(items.get(599).getPayloadJson()).isEqualTo("{\"i\":599}");
        assertThat(items).extracting(DeviceEvent::getAtMs).allMatch(t -> t > 0);
    }
}
