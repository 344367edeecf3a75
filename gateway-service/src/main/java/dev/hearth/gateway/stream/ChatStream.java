package dev.hearth.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.ws.ClientOutbox;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ServerMessages;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One stream of one chat turn: numbers its events {@code seq} 0, 1, 2… without gaps, and ends with
 * exactly one terminal event; nothing is sent after it.
 */
public final class ChatStream {

    private final String id;
    private final String epoch;
    private final String requestId;
    private final String ownerConnectionId;
    private final ClientOutbox outbox;
    private final ServerMessages messages;
    private final Runnable onEnd;
    private long nextSeq;
    private boolean ended;
    private Cancellable upstream;

    ChatStream(String id, String epoch, String requestId, String ownerConnectionId, ClientOutbox outbox,
            ServerMessages messages, Runnable onEnd) {
        this.id = id;
        this.epoch = epoch;
        this.requestId = requestId;
        this.ownerConnectionId = ownerConnectionId;
        this.outbox = outbox;
        this.messages = messages;
        this.onEnd = onEnd;
    }

    public String id() {
        return id;
    }

    public String ownerConnectionId() {
        return ownerConnectionId;
    }

    /** The generation feeding this stream; cancelled when the stream is cancelled. */
    public synchronized void attach(Cancellable generation) {
        if (ended) {
            generation.cancel();
        } else {
            this.upstream = generation;
        }
    }

    public void processing() {
        send(event("processing"));
    }

    public void chunk(String type, JsonNode data) {
        ObjectNode event = event("chunk");
        event.putObject("chunk").put("type", type).set("data", data);
        send(event);
    }

    public void chunk(String type, String data) {
        chunk(type, messages.mapper().getNodeFactory().textNode(data));
    }

    /** The terminal {@code complete} event; {@code details} adds usage, provider, model… */
    public void complete(String finishReason, java.util.function.Consumer<ObjectNode> details) {
        ObjectNode event = event("complete").put("finish_reason", finishReason);
        details.accept(event);
        end(event);
    }

    /** The terminal {@code error} event. */
    public void fail(ErrorCode code, String message, long retryAfterMs) {
        ObjectNode event = event("error");
        ObjectNode error = event.putObject("error").put("code", code.wire()).put("message", message);
        if (retryAfterMs > 0) {
            error.put("retry_after_ms", retryAfterMs);
        }
        end(event);
    }

    /** Stops the generation; the stream ends with {@code complete} / {@code cancelled}. */
    public void cancel() {
        Cancellable generation;
        synchronized (this) {
            if (ended) {
                return;
            }
            generation = upstream;
        }
        if (generation != null) {
            generation.cancel();
        }
        complete("cancelled", event -> { });
    }

    private ObjectNode event(String status) {
        // seq is a placeholder here, set when the event is sent (under the stream's lock) so
        // numbers follow the order events reach the client; putting it now keeps the field order.
        return messages.mapper().createObjectNode()
                .put("request_id", requestId)
                .put("stream_id", id)
                .put("epoch", epoch)
                .put("seq", -1L)
                .put("status", status);
    }

    private void send(ObjectNode event) {
        synchronized (this) {
            if (ended) {
                return;
            }
            outbox.offer(messages.encode(numbered(event)));
        }
    }

    private void end(ObjectNode event) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            upstream = null;
            outbox.offer(messages.encode(numbered(event)));
        }
        onEnd.run();
    }

    private ObjectNode numbered(ObjectNode event) {
        return event.put("seq", nextSeq++);
    }
}
