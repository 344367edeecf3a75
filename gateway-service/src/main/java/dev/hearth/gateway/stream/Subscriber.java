package dev.hearth.gateway.stream;

import dev.hearth.gateway.ws.ClientOutbox;

/**
 * One client watching one stream: where its events go and the last seq handed to it, which is
 * where it resumes if it is dropped or reconnects.
 */
public final class Subscriber {

    private final ClientOutbox outbox;
    private final String requestId;
    long lastSeq;

    public Subscriber(ClientOutbox outbox, String requestId, long afterSeq) {
        this.outbox = outbox;
        this.requestId = requestId;
        this.lastSeq = afterSeq;
    }

    public String connectionId() {
        return outbox.connectionId();
    }

    public ClientOutbox outbox() {
        return outbox;
    }

    /** The request (chat or subscribe) this subscription answers. */
    public String requestId() {
        return requestId;
    }

    public long lastSeq() {
        return lastSeq;
    }
}
