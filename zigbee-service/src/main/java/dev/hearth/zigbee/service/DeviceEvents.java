package dev.hearth.zigbee.service;

import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.zigbee.config.ZigbeeConfig;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One hot broadcast of device events to any number of watchers. Publishing only hands the event to
 * each watcher's queue, so the MQTT loop never waits on a watcher: every watcher is drained on a
 * worker thread through a bounded queue ({@code hearth.zigbee.watch-buffer}); a watcher that lets it
 * fill up is failed with RESOURCE_EXHAUSTED (it can watch again and re-read the registry), the others
 * go on untouched.
 */
@ApplicationScoped
public class DeviceEvents {

    private final BroadcastProcessor<DeviceEvent> broadcast = BroadcastProcessor.create();
    private final java.util.concurrent.Flow.Processor<DeviceEvent, DeviceEvent> serialized;
    private final int buffer;

    public DeviceEvents(ZigbeeConfig config) {
        this.buffer = Math.max(1, config.watchBuffer());
        this.serialized = broadcast.serialized();
    }

    public void publish(String kind, String device, String ieee, JsonObject payload) {
        serialized.onNext(DeviceEvent.newBuilder().setKind(kind).setDevice(device == null ? "" : device)
                .setIeeeAddress(ieee == null ? "" : ieee).setPayloadJson((payload == null ? new JsonObject() : payload)
                        .encode())
                .setAtMs(System.currentTimeMillis()).build());
    }

    /** Events from now on, until the watcher cancels or falls {@code watch-buffer} events behind. */
    public Multi<DeviceEvent> watch() {
        return Multi.createFrom().publisher(serialized)
                .onOverflow().buffer(buffer)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(BackPressureFailure.class).transform(f -> Status.RESOURCE_EXHAUSTED
                        .withDescription("this watcher fell more than " + buffer
                                + " events behind and was dropped; watch again and re-read the devices")
                        .asRuntimeException());
    }
}
