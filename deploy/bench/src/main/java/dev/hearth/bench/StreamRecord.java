package dev.hearth.bench;

import java.util.concurrent.CountDownLatch;

/**
 * What one client saw of one answer: when it asked, when each token left the fake upstream and
 * when it arrived, and whether anything was wrong (a seq gap, a token missing or out of order, an
 * error, no terminal event). Written by one event loop; read after {@link #done} counted down.
 */
final class StreamRecord implements Pacing.TokenSink {

    final String id;
    final int tokens;
    final long[] sentNanos;
    final long[] receivedNanos;
    private final CountDownLatch done;
    /** When the request left the client; 0 until then. */
    volatile long requestedAt;
    long upstreamArrivedAt = Long.MIN_VALUE;
    int received;
    long nextSeq;
    String failure;
    boolean ended;
    private long frameReceivedAt;

    StreamRecord(String id, int tokens, CountDownLatch done) {
        this.id = id;
        this.tokens = tokens;
        this.sentNanos = new long[tokens];
        this.receivedNanos = new long[tokens];
        this.done = done;
    }

    boolean clean() {
        return ended && failure == null && received == tokens;
    }

    /** A hearth.v1 event of this stream; {@code receivedAt} taken before parsing. */
    void onEvent(Frame frame, long receivedAt) {
        if (ended) {
            return;
        }
        if (!frame.isStreamEvent()) {
            if ("error".equals(frame.status)) {
                end("error " + frame.errorCode + ": " + frame.errorMessage);
            }
            return;
        }
        if (frame.seq != nextSeq) {
            fail("seq " + frame.seq + " where " + nextSeq + " was due");
        }
        nextSeq = frame.seq + 1;
        switch (frame.status) {
            case "processing" -> { }
            case "chunk" -> {
                if ("text".equals(frame.chunkType) && frame.chunkText != null) {
                    frameReceivedAt = receivedAt;
                    Pacing.readTokens(frame.chunkText, this);
                }
            }
            case "complete" -> end("stop".equals(frame.finishReason) ? null : "finish_reason " + frame.finishReason);
            case "error" -> end("error " + frame.errorCode + ": " + frame.errorMessage);
            default -> { }
        }
    }

    /** A piece of answer text read straight from the upstream's SSE (the direct path). */
    void onText(String text, long receivedAt) {
        if (ended) {
            return;
        }
        frameReceivedAt = receivedAt;
        Pacing.readTokens(text, this);
    }

    @Override
    public void token(int index, long sent, long arrived) {
        if (index != received) {
            fail("token " + index + " where " + received + " was due");
            if (index < received || index >= tokens) {
                return;
            }
            received = index;
        }
        if (index == 0) {
            upstreamArrivedAt = arrived;
        }
        sentNanos[index] = sent;
        receivedNanos[index] = frameReceivedAt;
        received++;
    }

    @Override
    public void garbage(String text) {
        fail("unexpected text '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
    }

    void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    /** The terminal event (or the end of the HTTP answer); {@code why} null when it is a normal end. */
    void end(String why) {
        if (ended) {
            return;
        }
        if (why != null) {
            fail(why);
        } else if (received != tokens) {
            fail(received + " of " + tokens + " tokens");
        }
        ended = true;
        done.countDown();
    }

    /** Time to first token: request sent → token 0 received; -1 if there was none. */
    long ttftNanos() {
        return received > 0 && requestedAt != 0 ? receivedNanos[0] - requestedAt : -1;
    }

    /** Request sent → request fully arrived at the upstream; -1 if unknown. */
    long requestPathNanos() {
        return requestedAt == 0 || upstreamArrivedAt == Long.MIN_VALUE ? -1 : upstreamArrivedAt - requestedAt;
    }

    /**
     * Time to first token less the upstream's own think time (its pacing until it sent token 0): what
     * the path adds on the way in (request) and out (token 0). -1 if unknown.
     */
    long ttftOverheadNanos() {
        if (received == 0 || requestedAt == 0 || upstreamArrivedAt == Long.MIN_VALUE) {
            return -1;
        }
        return ttftNanos() - (sentNanos[0] - upstreamArrivedAt);
    }
}
