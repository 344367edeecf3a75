package dev.hearth.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;

/**
 * Everything sent to one client goes through here, one write at a time, in the order offered —
 * whatever thread offers it. Writes from different threads straight to the socket could overtake
 * each other. The queue is bounded: a client that stops reading is closed with 1013 instead of
 * growing the heap or slowing the streams it watches.
 */
public final class ClientOutbox {

    private static final Logger LOG = Logger.getLogger(ClientOutbox.class);
    static final short CLOSE_TRY_AGAIN_LATER = 1013;

    private final WebSocketConnection connection;
    private final int capacity;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;

    public ClientOutbox(WebSocketConnection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
    }

    /** Queues a message; false when the client is gone or was evicted as too slow. */
    public boolean offer(String message) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue.size() >= capacity) {
                closed = true;
                queue.clear();
                LOG.infof("connection %s evicted: %d messages unsent", connection.id(), capacity);
                connection.close(new CloseReason(CLOSE_TRY_AGAIN_LATER, "slow consumer")).subscribe().with(v -> { }, f -> { });
                return false;
            }
            queue.add(message);
            if (writing) {
                return true;
            }
            writing = true;
        }
        pump();
        return true;
    }

    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    /** Writes until the queue is empty; a write that completes later resumes the loop itself. */
    private void pump() {
        while (true) {
            String next;
            synchronized (this) {
                next = closed ? null : queue.poll();
                if (next == null) {
                    writing = false;
                    return;
                }
            }
            Write write = new Write();
            connection.sendText(next).subscribe().with(ok -> write.done(), failure -> {
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
