package dev.hearth.gateway.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.ws.ClientOutbox;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.gateway.ws.ServerMessages;
import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.MutinyZigbeeGrpc.MutinyZigbeeStub;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.proto.v1.ZigbeeGrpc;
import dev.hearth.proto.grpc.GrpcStreams;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code devices.watch}: zigbee-service's device events, fanned out to every watching connection
 * of this replica. One upstream {@code WatchEvents} stream serves them all; it is opened with the
 * first watch, closed with the last, and re-opened with backoff when it fails — meanwhile
 * watchers get an {@code unavailable} event, and once it is back a fresh {@code snapshot}, since
 * events were missed. A watch is not resumable (device state is current state, not history): a
 * client that reconnects watches again and starts from the new snapshot.
 */
@ApplicationScoped
public class DeviceWatches {

    private static final Logger LOG = Logger.getLogger(DeviceWatches.class);
    static final String SNAPSHOT = "snapshot";
    static final String UNAVAILABLE = "unavailable";

    private final MutinyZigbeeStub zigbee;
    /** The async stub: cancelling a Mutiny stub's stream would leave the call open (see GrpcStreams). */
    private final ZigbeeGrpc.ZigbeeStub events;
    private final ServerMessages messages;
    private final DevicesConfig config;
    private final Map<String, DeviceWatch> byConnection = new ConcurrentHashMap<>();

    // Guarded by this.
    private Cancellable upstream;
    private long generation;
    private Duration backoff;
    private boolean unavailableSent;
    private boolean stopped;
    /** The last upstream stream failed: whoever watched through the gap needs a fresh snapshot. */
    private boolean missedEvents;

    public DeviceWatches(@GrpcClient("zigbee") MutinyZigbeeStub zigbee, @GrpcClient("zigbee") io.grpc.Channel channel,
            ServerMessages messages, DevicesConfig config) {
        this.zigbee = zigbee;
        this.events = ZigbeeGrpc.newStub(channel);
        this.messages = messages;
        this.config = config;
        this.backoff = config.reconnectInitialBackoff();
    }

    /** Starts a watch for this connection: {@code processing}, then the snapshot, then live events. */
    public void watch(ClientOutbox outbox, String requestId, Set<String> devices) {
        DeviceWatch existing = byConnection.get(outbox.connectionId());
        if (existing != null) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "this connection already watches devices (stream "
                    + existing.streamId() + "); unsubscribe from it first to change what it watches");
        }
        DeviceWatch watch = new DeviceWatch(outbox, messages, requestId, "devices-" + UUID.randomUUID(),
                UUID.randomUUID().toString(), devices, config.pendingEvents());
        if (byConnection.putIfAbsent(outbox.connectionId(), watch) != null) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "this connection already watches devices");
        }
        watch.processing();
        if (ensureUpstream()) {
            sendSnapshots(List.copyOf(byConnection.values()));
        } else {
            sendSnapshots(List.of(watch));
        }
    }

    /** Ends this connection's watch if it is {@code streamId}: the terminal event goes out. */
    public boolean end(String connectionId, String streamId) {
        DeviceWatch watch = byConnection.get(connectionId);
        if (watch == null || !watch.streamId().equals(streamId)) {
            return false;
        }
        byConnection.remove(connectionId, watch);
        watch.end();
        releaseUpstreamIfIdle();
        return true;
    }

    public void connectionClosed(String connectionId) {
        DeviceWatch watch = byConnection.remove(connectionId);
        if (watch != null) {
            watch.abandon();
            releaseUpstreamIfIdle();
        }
    }

    public int watchers() {
        return byConnection.size();
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            stopped = true;
            cancelUpstream();
        }
    }

    /** Opens the upstream stream unless it is open; true when events were missed since the last one failed. */
    private synchronized boolean ensureUpstream() {
        if (upstream != null || stopped) {
            return false;
        }
        boolean missed = missedEvents;
        missedEvents = false;
        long mine = ++generation;
        upstream = GrpcStreams.serverStream(WatchEventsRequest.getDefaultInstance(), events::watchEvents).subscribe().with(
                event -> onEvent(mine, event),
                failure -> upstreamEnded(mine, failure),
                () -> upstreamEnded(mine, Status.UNAVAILABLE.withDescription("zigbee-service ended the event stream")
                        .asRuntimeException()));
        return missed;
    }

    private synchronized void releaseUpstreamIfIdle() {
        if (byConnection.isEmpty()) {
            cancelUpstream();
        }
    }

    private void cancelUpstream() {
        if (upstream != null) {
            generation++;
            upstream.cancel();
            upstream = null;
        }
    }

    private void onEvent(long of, DeviceEvent event) {
        synchronized (this) {
            if (of != generation) {
                return;
            }
            backoff = config.reconnectInitialBackoff();
        }
        ObjectNode data = messages.mapper().createObjectNode().put("device", event.getDevice()).put("kind", event.getKind());
        data.set("payload", parse(event.getPayloadJson()));
        data.put("at_ms", event.getAtMs());
        for (DeviceWatch watch : byConnection.values()) {
            if (watch.passes(event.getDevice())) {
                deliver(watch, watch.event(data));
            }
        }
    }

    private void upstreamEnded(long of, Throwable failure) {
        Duration wait;
        synchronized (this) {
            if (of != generation) {
                return;
            }
            upstream = null;
            missedEvents = true;
            wait = backoff;
            long doubled = Math.min(backoff.toMillis() * 2, config.reconnectMaxBackoff().toMillis());
            backoff = Duration.ofMillis(doubled);
        }
        Status status = Status.fromThrowable(failure);
        LOG.infof("device events from zigbee-service interrupted (%s: %s); watching again in %d ms", status.getCode(),
                status.getDescription(), wait.toMillis());
        notifyUnavailable(status);
        Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe().with(ignored -> reconnect());
    }

    /**
     * Events were missed meanwhile: every watcher starts again from a fresh snapshot — here, or in
     * {@link #watch} if a new watcher re-opened the stream before the backoff ended.
     */
    private void reconnect() {
        if (!byConnection.isEmpty() && ensureUpstream()) {
            sendSnapshots(List.copyOf(byConnection.values()));
        }
    }

    private void notifyUnavailable(Status status) {
        synchronized (this) {
            if (unavailableSent) {
                return;
            }
            unavailableSent = true;
        }
        ObjectNode data = unavailable(status);
        for (DeviceWatch watch : byConnection.values()) {
            deliver(watch, watch.notice(data));
        }
    }

    private ObjectNode unavailable(Status status) {
        ObjectNode data = messages.mapper().createObjectNode().put("device", "").put("kind", UNAVAILABLE);
        data.putObject("payload").put("reason", "zigbee-service cannot be reached ("
                + status.getCode().name().toLowerCase(java.util.Locale.ROOT) + "); watching again, a snapshot follows");
        data.put("at_ms", System.currentTimeMillis());
        return data;
    }

    /**
     * The snapshot, then the events held meanwhile, to each of {@code watches} from one device
     * list (after zigbee-service comes back every watcher needs one: one call serves them all). A
     * failed read is retried, for those still watching, after the current backoff.
     */
    private void sendSnapshots(List<DeviceWatch> watches) {
        watches.forEach(DeviceWatch::awaitSnapshot);
        zigbee.withDeadlineAfter(config.snapshotTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .listDevices(ListDevicesRequest.getDefaultInstance())
                .subscribe().with(list -> {
                    synchronized (this) {
                        unavailableSent = false;
                    }
                    List<DeviceWatch> stale = new java.util.ArrayList<>();
                    for (DeviceWatch watch : watches) {
                        boolean[] overflowed = {false};
                        deliver(watch, watch.snapshot(snapshot(list.getDevicesList(), watch), overflowed));
                        if (overflowed[0] && watching(watch)) {
                            stale.add(watch);
                        }
                    }
                    if (!stale.isEmpty()) {
                        sendSnapshots(stale);
                    }
                }, failure -> {
                    ObjectNode notice = unavailable(Status.fromThrowable(failure));
                    watches.forEach(watch -> deliver(watch, watch.notice(notice)));
                    Duration wait;
                    synchronized (this) {
                        wait = backoff;
                    }
                    Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe().with(ignored -> {
                        List<DeviceWatch> still = watches.stream().filter(this::watching).toList();
                        if (!still.isEmpty()) {
                            sendSnapshots(still);
                        }
                    });
                });
    }

    private boolean watching(DeviceWatch watch) {
        return byConnection.get(watch.connectionId()) == watch;
    }

    private ObjectNode snapshot(List<Device> devices, DeviceWatch watch) {
        ObjectNode data = messages.mapper().createObjectNode().put("device", "").put("kind", SNAPSHOT);
        ArrayNode list = data.putObject("payload").putArray("devices");
        for (Device device : devices) {
            if (!watch.passesAny(device.getFriendlyName(), device.getIeeeAddress())) {
                continue;
            }
            ObjectNode one = list.addObject().put("name", device.getFriendlyName())
                    .put("ieee_address", device.getIeeeAddress()).put("type", device.getType())
                    .put("model", device.getModel()).put("vendor", device.getVendor()).put("room", device.getRoom())
                    .put("available", device.getAvailable());
            one.set("state", parse(device.getStateJson()));
        }
        data.put("at_ms", System.currentTimeMillis());
        return data;
    }

    private void deliver(DeviceWatch watch, DeviceWatch.Sent sent) {
        if (sent == DeviceWatch.Sent.SENT) {
            return;
        }
        if (byConnection.remove(watch.connectionId(), watch)) {
            watch.abandon();
            if (sent == DeviceWatch.Sent.SLOW) {
                LOG.infof("connection %s dropped from device events as a slow consumer", watch.connectionId());
                watch.droppedAsSlow();
            }
            releaseUpstreamIfIdle();
        }
    }

    private JsonNode parse(String json) {
        if (json == null || json.isEmpty()) {
            return messages.mapper().nullNode();
        }
        try {
            return messages.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return messages.mapper().getNodeFactory().textNode(json);
        }
    }
}
