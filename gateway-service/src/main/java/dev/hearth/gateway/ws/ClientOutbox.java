package dev.hearth.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;

/**
 * Everything sent to one client goes through here, one write at a time, in the order offered —
 * whatever thread offers it. Writes from different threads straight to the socket could overtake
 * each other. The queue is bounded: a client that stops reading fills it, and then it is either
 * closed with 1013 ({@code evictWhenFull}) or its stream events are refused so the stream can drop
 * it, instead of growing the heap or slowing the streams it watches.
 */
public final class ClientOutbox {

    private static final Logger LOG = Logger.getLogger(ClientOutbox.class);
    public static final short CLOSE_TRY_AGAIN_LATER = 1013;
    public static final short CLOSE_GOING_AWAY = 1001;
    /** Room kept beyond the capacity for replies and notices, so a full stream buffer cannot hide them. */
    private static final int CONTROL_HEADROOM = 64;

    public enum Offer {
        QUEUED,
        /** The buffer is full; the message was not queued (the connection stays unless evicted). */
        FULL,
        /** The connection is gone (or was evicted); nothing more will be sent. */
        CLOSED
    }

    private final WebSocketConnection connection;
    private final int capacity;
    private final boolean evictWhenFull;
    /** Text messages ({@code String}) and binary frames ({@code byte[]}), in sending order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;
    private CloseReason closeWhenWritten;

    public ClientOutbox(WebSocketConnection connection, int capacity, boolean evictWhenFull) {
        this.connection = connection;
        this.capacity = capacity;
        this.evictWhenFull = evictWhenFull;
    }

    public String connectionId() {
        return connection.id();
    }

    public WebSocketConnection connection() {
        return connection;
    }

    /** Queues a reply or notice (not a stream event); false when the client is gone. */
    public boolean offer(String message) {
        return offer(message, null, capacity + CONTROL_HEADROOM) == Offer.QUEUED;
    }

    /** Queues a stream event, bounded by the send buffer. */
    public Offer offerEvent(String message) {
        return offer(message, null, capacity);
    }

    /**
     * Queues a stream event and, when {@code frame} is not null, the binary frame right after it:
     * both or neither (each counts as one message of the send buffer).
     */
    public Offer offerEvent(String message, byte[] frame) {
        return offer(message, frame, capacity);
    }

    /**
     * Queues a replayed event: a resume hands over up to a stream's whole history at once, which
     * may exceed the send buffer; {@code extraRoom} (the history size) bounds it all the same.
     */
    public Offer offerReplay(String message, int extraRoom) {
        return offer(message, null, capacity + extraRoom);
    }

    /** {@link #offerReplay(String, int)} with the event's binary frame, if any. */
    public Offer offerReplay(String message, byte[] frame, int extraRoom) {
        return offer(message, frame, capacity + extraRoom);
    }

    private Offer offer(String message, byte[] frame, int limit) {
        synchronized (this) {
            if (closed) {
                return Offer.CLOSED;
            }
            if (queue.size() + (frame == null ? 1 : 2) > limit) {
                if (!evictWhenFull) {
                    return Offer.FULL;
                }
                closed = true;
                queue.clear();
                LOG.infof("connection %s evicted as a slow consumer: %d messages unsent", connection.id(), limit);
                connection.close(new CloseReason(CLOSE_TRY_AGAIN_LATER, "slow consumer")).subscribe().with(v -> { }, f -> { });
                return Offer.CLOSED;
            }
            queue.add(message);
            if (frame != null) {
                queue.add(frame);
            }
            if (writing) {
                return Offer.QUEUED;
            }
            writing = true;
        }
        pump();
        return Offer.QUEUED;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    /** Takes nothing more and closes the connection with {@code reason} once the queue is written. */
    public void closeWhenWritten(CloseReason reason) {
        boolean now;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeWhenWritten = reason;
            now = !writing && queue.isEmpty();
        }
        if (now) {
            connection.close(reason).subscribe().with(v -> { }, f -> { });
        }
    }

    /** Writes until the queue is empty; a write that completes later resumes the loop itself. */
    private void pump() {
        while (true) {
            Object next;
            CloseReason finalClose = null;
            synchronized (this) {
                next = closed && closeWhenWritten == null ? null : queue.poll();
                if (next == null) {
                    writing = false;
                    finalClose = closeWhenWritten;
                }
            }
            if (next == null) {
                if (finalClose != null) {
                    connection.close(finalClose).subscribe().with(v -> { }, f -> { });
                }
                return;
            }
            Write write = new Write();
            io.smallrye.mutiny.Uni<Void> sent = next instanceof String text ? connection.sendText(text)
                    : connection.sendBinary(Buffer.buffer((byte[]) next));
            sent.subscribe().with(ok -> write.done(), failure -> {
                synchronized (this) {
                    closeWhenWritten = null;
                }
                close();
                write.done();
            });
            if (!write.continueHere()) {
                return;
            }
        }
    }

    /** Tells whether a write finished inside sendText (loop on) or later (its callback pumps). */
    private final class Write {
        private boolean finished;
        private boolean returned;

        void done() {
            boolean resume;
            synchronized (this) {
                finished = true;
                resume = returned;
            }
            if (resume) {
                pump();
            }
        }

        synchronized boolean continueHere() {
            returned = !finished;
            return finished;
        }
    }
}
