package dev.hearth.gateway.devices;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.ws.ClientOutbox;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ServerMessages;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Set;

/**
 * One connection's {@code devices.watch}: a stream like a chat's (stream_id, epoch, seq 0, 1, 2…
 * without gaps, {@code processing} first, one terminal event) whose chunks are
 * {@code device_event}s. It starts with a {@code snapshot} of every device; events that arrive
 * while the snapshot is read are held and sent after it, in order, so the client never applies an
 * older state over a newer one. Thread-safe: events come from the gRPC stream, replies from the
 * connection's handler.
 */
final class DeviceWatch {

    enum Sent { SENT, SLOW, GONE }

    private final ClientOutbox outbox;
    private final ServerMessages messages;
    private final String requestId;
    private final String streamId;
    private final String epoch;
    /** Lower-cased names or IEEE addresses to pass; empty passes every device. */
    private final Set<String> devices;
    private final int pendingLimit;

    // Guarded by this.
    private long seq;
    private boolean ended;
    private boolean waitingForSnapshot = true;
    private boolean overflowed;
    private final ArrayDeque<ObjectNode> pending = new ArrayDeque<>();

    DeviceWatch(ClientOutbox outbox, ServerMessages messages, String requestId, String streamId, String epoch,
            Set<String> devices, int pendingLimit) {
        this.outbox = outbox;
        this.messages = messages;
        this.requestId = requestId;
        this.streamId = streamId;
        this.epoch = epoch;
        this.devices = devices;
        this.pendingLimit = pendingLimit;
    }

    String streamId() {
        return streamId;
    }

    String connectionId() {
        return outbox.connectionId();
    }

    boolean passes(String device) {
        return device.isEmpty() || devices.isEmpty() || devices.contains(device.toLowerCase(Locale.ROOT));
    }

    boolean passesAny(String name, String ieeeAddress) {
        return devices.isEmpty() || devices.contains(name.toLowerCase(Locale.ROOT))
                || devices.contains(ieeeAddress.toLowerCase(Locale.ROOT));
    }

    synchronized Sent processing() {
        return send(header("processing"));
    }

    /** A live event: sent now, or held until the snapshot has gone out. */
    synchronized Sent event(ObjectNode data) {
        if (ended) {
            return Sent.GONE;
        }
        if (waitingForSnapshot) {
            if (pending.size() >= pendingLimit) {
                overflowed = true;
                pending.clear();
            } else if (!overflowed) {
                pending.add(data);
            }
            return Sent.SENT;
        }
        return send(chunk(data));
    }

    /** Starts waiting for a (new) snapshot: events are held from now on. */
    synchronized void awaitSnapshot() {
        waitingForSnapshot = true;
        overflowed = false;
        pending.clear();
    }

    /** Sends the snapshot, then what was held; sets {@code stale[0]} instead when more was held than kept (read it again). */
    synchronized Sent snapshot(ObjectNode data, boolean[] stale) {
        if (ended) {
            return Sent.GONE;
        }
        if (overflowed) {
            stale[0] = true;
            overflowed = false;
            return Sent.SENT;
        }
        waitingForSnapshot = false;
        Sent sent = send(chunk(data));
        while (sent == Sent.SENT && !pending.isEmpty()) {
            sent = send(chunk(pending.poll()));
        }
        pending.clear();
        return sent;
    }

    /** A notice outside the snapshot order (zigbee-service unreachable): sent at once. */
    synchronized Sent notice(ObjectNode data) {
        if (ended) {
            return Sent.GONE;
        }
        return send(chunk(data));
    }

    /** The terminal event, {@code complete} with {@code finish_reason: cancelled}; false if it had ended. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ObjectNode complete = header("complete").put("finish_reason", "cancelled");
        outbox.offer(messages.encode(complete));
        ended = true;
        return true;
    }

    /** Ended without a word (the connection is gone, or it was dropped as too slow). */
    synchronized void abandon() {
        ended = true;
        pending.clear();
    }

    /** Tells the client it was taken off (not a stream event: the queue is full of those). */
    synchronized void droppedAsSlow() {
        outbox.offer(messages.droppedFromStream(requestId, ErrorCode.SLOW_CONSUMER,
                "device events were not read fast enough; send devices.watch again for a fresh snapshot", streamId, seq - 1));
    }

    private ObjectNode header(String status) {
        return messages.mapper().createObjectNode().put("request_id", requestId).put("stream_id", streamId)
                .put("epoch", epoch).put("seq", seq).put("status", status);
    }

    private ObjectNode chunk(ObjectNode data) {
        ObjectNode message = header("chunk");
        message.putObject("chunk").put("type", "device_event").set("data", data);
        return message;
    }

    private Sent send(ObjectNode message) {
        if (ended) {
            return Sent.GONE;
        }
        return switch (outbox.offerEvent(messages.encode(message))) {
            case QUEUED -> {
                seq++;
                yield Sent.SENT;
            }
            case FULL -> Sent.SLOW;
            case CLOSED -> Sent.GONE;
        };
    }
}
