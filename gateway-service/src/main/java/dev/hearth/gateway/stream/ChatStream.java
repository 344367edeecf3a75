package dev.hearth.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.gateway.ws.ServerMessages;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One stream of one chat turn, running on this replica: numbers its events {@code seq} 0, 1, 2…
 * without gaps, keeps its recent history for resume, hands every event to each subscriber (any
 * number of clients), and ends with exactly one terminal event that every subscriber receives.
 * Nothing is sent after it. Each event is encoded once, whatever the number of watchers.
 */
public final class ChatStream {

    private final String id;
    private final String epoch;
    private final String requestId;
    private final String ownerUserId;
    private final String originConnectionId;
    private final boolean shared;
    private final Instant startedAt = Instant.now();
    private final ServerMessages messages;
    private final Delivery delivery;
    private final StreamSink sink;
    private final Consumer<ChatStream> onEnd;
    private final int historySize;
    private final int maxClients;
    private final long audioHistoryBytes;
    private long audioBytesKept;

    private final ArrayDeque<StreamEvent> history = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new ArrayList<>(2);
    private long nextSeq;
    private boolean ended;
    private Cancellable upstream;
    private volatile long lastEventNanos = System.nanoTime();
    private final List<Runnable> endActions = new java.util.concurrent.CopyOnWriteArrayList<>();

    ChatStream(String id, String epoch, String requestId, String ownerUserId, String originConnectionId, boolean shared,
            ServerMessages messages, Delivery delivery, StreamSink sink, Consumer<ChatStream> onEnd,
            int historySize, int maxClients) {
        this(id, epoch, requestId, ownerUserId, originConnectionId, shared, messages, delivery, sink, onEnd, historySize,
                maxClients, 0);
    }

    ChatStream(String id, String epoch, String requestId, String ownerUserId, String originConnectionId, boolean shared,
            ServerMessages messages, Delivery delivery, StreamSink sink, Consumer<ChatStream> onEnd,
            int historySize, int maxClients, long audioHistoryBytes) {
        this.id = id;
        this.epoch = epoch;
        this.requestId = requestId;
        this.ownerUserId = ownerUserId;
        this.originConnectionId = originConnectionId;
        this.shared = shared;
        this.messages = messages;
        this.delivery = delivery;
        this.sink = sink;
        this.onEnd = onEnd;
        this.historySize = historySize;
        this.maxClients = maxClients;
        this.audioHistoryBytes = audioHistoryBytes;
    }

    public String id() {
        return id;
    }

    public String epoch() {
        return epoch;
    }

    public String requestId() {
        return requestId;
    }

    public String ownerUserId() {
        return ownerUserId;
    }

    /** The connection whose {@code chat} started it (it counts against that connection's limit). */
    public String originConnectionId() {
        return originConnectionId;
    }

    public boolean shared() {
        return shared;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    public synchronized int clientCount() {
        return subscribers.size();
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    long nanosSinceLastEvent() {
        return System.nanoTime() - lastEventNanos;
    }

    /** Something arrived for the stream that is not an event (a voice turn's audio): it is not idle. */
    public void touch() {
        lastEventNanos = System.nanoTime();
    }

    /** Runs {@code action} once when the stream ends (at once if it has ended). */
    public void whenEnded(Runnable action) {
        synchronized (this) {
            if (!ended) {
                endActions.add(action);
                return;
            }
        }
        action.run();
    }

    /** The generation feeding this stream; cancelled when the stream is cancelled. */
    public synchronized void attach(Cancellable generation) {
        if (ended) {
            generation.cancel();
        } else {
            this.upstream = generation;
        }
    }

    /**
     * Adds a watcher: sends {@code ack} (if any), then every kept event after {@code afterSeq},
     * then live events. A connection subscribed already is re-subscribed from {@code afterSeq}.
     */
    public synchronized void subscribe(Subscriber subscriber, String ack) {
        long afterSeq = subscriber.lastSeq();
        if (afterSeq > nextSeq - 1) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "after_seq " + afterSeq + " is ahead of stream "
                    + id + ", whose last event is seq " + (nextSeq - 1));
        }
        long firstKept = history.isEmpty() ? nextSeq : history.peekFirst().seq();
        if (afterSeq + 1 < firstKept) {
            throw new ProtocolException(ErrorCode.STREAM_GAP, "events after seq " + afterSeq + " of stream " + id
                    + " are no longer in history (it starts at seq " + firstKept + "); reload the conversation");
        }
        boolean resubscribe = subscribers.removeIf(s -> s.connectionId().equals(subscriber.connectionId()));
        if (!resubscribe && !ended && subscribers.size() >= maxClients) {
            throw new ProtocolException(ErrorCode.TOO_MANY_CLIENTS, "stream " + id + " has " + maxClients
                    + " watchers on this gateway, the most it takes");
        }
        if (ack != null) {
            subscriber.outbox().offer(ack);
        }
        for (StreamEvent event : history) {
            if (event.seq() > afterSeq && delivery.deliver(subscriber, id, event, true) != Delivery.Outcome.KEEP) {
                return;
            }
        }
        if (!ended) {
            subscribers.add(subscriber);
        }
    }

    /** Takes a connection off this stream; the stream goes on. */
    public synchronized boolean unsubscribe(String connectionId) {
        return subscribers.removeIf(s -> s.connectionId().equals(connectionId));
    }

    public void processing() {
        push(event("processing"), false);
    }

    public void chunk(String type, JsonNode data) {
        ObjectNode event = event("chunk");
        event.putObject("chunk").put("type", type).set("data", data);
        push(event, false);
    }

    /**
     * An {@code audio} chunk whose bytes follow the JSON as one binary frame ({@link AudioFrame}) to
     * every watcher. The first {@code audioHistoryBytes} of the stream's audio are kept for resume;
     * later audio goes to live watchers only, and its {@code data.replay} says so (false).
     */
    public synchronized void audio(ObjectNode data, byte[] audio) {
        boolean keep = !ended && audioBytesKept + audio.length <= audioHistoryBytes;
        if (keep) {
            audioBytesKept += audio.length;
        }
        data.put("replay", keep);
        ObjectNode event = event("chunk");
        event.putObject("chunk").put("type", "audio").set("data", data);
        push(event, false, audio, keep);
    }

    public void chunk(String type, String data) {
        chunk(type, messages.mapper().getNodeFactory().textNode(data));
    }

    /** The terminal {@code complete} event; {@code details} adds usage, provider, model… */
    public void complete(String finishReason, Consumer<ObjectNode> details) {
        ObjectNode event = event("complete").put("finish_reason", finishReason);
        details.accept(event);
        push(event, true);
    }

    /** The terminal {@code error} event. */
    public void fail(ErrorCode code, String message, long retryAfterMs) {
        ObjectNode event = event("error");
        ObjectNode error = event.putObject("error").put("code", code.wire()).put("message", message);
        if (retryAfterMs > 0) {
            error.put("retry_after_ms", retryAfterMs);
        }
        push(event, true);
    }

    /** Stops the generation; the stream ends with {@code complete} / {@code cancelled}. */
    public void cancel() {
        stopGeneration();
        complete("cancelled", event -> { });
    }

    /** Stops the generation and ends the stream with {@code code}. */
    public void abort(ErrorCode code, String message) {
        stopGeneration();
        fail(code, message, 0);
    }

    /** Stops the generation and ends the stream with {@code complete} / {@code finishReason}. */
    public void end(String finishReason) {
        stopGeneration();
        complete(finishReason, event -> { });
    }

    private void stopGeneration() {
        Cancellable generation;
        synchronized (this) {
            if (ended) {
                return;
            }
            generation = upstream;
            upstream = null;
        }
        if (generation != null) {
            generation.cancel();
        }
    }

    private ObjectNode event(String status) {
        // seq is a placeholder here, set when the event is numbered (under the stream's lock) so
        // numbers follow the order events are pushed; putting it now keeps the field order.
        return messages.mapper().createObjectNode()
                .put("request_id", requestId)
                .put("stream_id", id)
                .put("epoch", epoch)
                .put("seq", -1L)
                .put("status", status);
    }

    private void push(ObjectNode node, boolean terminal) {
        push(node, terminal, null, false);
    }

    private void push(ObjectNode node, boolean terminal, byte[] audio, boolean keepAudio) {
        boolean failStream = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            String json = messages.encode(node.put("seq", nextSeq));
            StreamEvent event = audio == null ? new StreamEvent(nextSeq, json, terminal)
                    : new StreamEvent(nextSeq, json, terminal, AudioFrame.encode(id, nextSeq, audio), keepAudio);
            nextSeq++;
            lastEventNanos = System.nanoTime();
            history.addLast(event.forHistory());
            if (history.size() > historySize) {
                history.removeFirst();
            }
            sink.appended(this, event);
            for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
                Delivery.Outcome outcome = delivery.deliver(it.next(), id, event, false);
                if (outcome == Delivery.Outcome.DROP) {
                    it.remove();
                } else if (outcome == Delivery.Outcome.FAIL_STREAM) {
                    it.remove();
                    failStream = true;
                }
            }
            if (terminal) {
                ended = true;
                upstream = null;
                subscribers.clear();
            }
        }
        if (terminal) {
            onEnd.accept(this);
            endActions.forEach(Runnable::run);
        } else if (failStream) {
            abort(ErrorCode.INTERNAL, "a watcher of this stream could not be sent to (send-error policy throw)");
        }
    }
}
