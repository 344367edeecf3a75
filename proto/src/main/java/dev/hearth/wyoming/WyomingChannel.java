package dev.hearth.wyoming;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The transport half of a server-side Wyoming connection, shared by the suite's Wyoming servers:
 * bytes in are split into events, events out are framed, a frame started and not finished within
 * the frame timeout is answered with an {@code error} ({@code truncated-frame}) and the connection
 * closed, and bad framing is answered with an {@code error} (closing when it cannot be recovered).
 * Everything runs on the socket's event loop.
 */
public final class WyomingChannel {

    private static final Logger LOG = Logger.getLogger(WyomingChannel.class);

    /** Limits of one connection. */
    public record Limits(int maxHeaderBytes, int maxDataBytes, Duration frameTimeout) {

        public static Limits of(WyomingServerConfig config) {
            return new Limits(config.maxHeaderBytes(), config.maxDataBytes(), config.frameTimeout());
        }
    }

    private final NetSocket socket;
    private final Vertx vertx;
    private final Limits limits;
    private final WyomingFrameParser parser;
    private final Runnable onClose;
    private boolean closed;
    private long frameTimer = -1;

    public WyomingChannel(NetSocket socket, Vertx vertx, Limits limits, Handler<WyomingEvent> events,
            Runnable onClose) {
        this.socket = socket;
        this.vertx = vertx;
        this.limits = limits;
        this.onClose = onClose;
        this.parser = new WyomingFrameParser(limits.maxHeaderBytes(), limits.maxDataBytes(), events,
                this::onProblem);
    }

    public void start() {
        socket.handler(buffer -> {
            parser.handle(buffer);
            armFrameTimer();
        });
        socket.closeHandler(v -> {
            closed = true;
            cancelTimer();
            onClose.run();
        });
        socket.exceptionHandler(e -> LOG.debugf("Wyoming connection error: %s", e.getMessage()));
    }

    /** Writes one event unless the connection is gone. */
    public void send(WyomingEvent event) {
        if (!closed) {
            socket.write(event.encode());
        }
    }

    /** Sends an {@code error} event and closes the connection. */
    public void fail(String code, String text) {
        send(WyomingEvent.error(code, text));
        cancelTimer();
        socket.close();
    }

    public boolean closed() {
        return closed;
    }

    private void armFrameTimer() {
        cancelTimer();
        if (parser.midFrame() && !closed) {
            frameTimer = vertx.setTimer(limits.frameTimeout().toMillis(), id -> {
                frameTimer = -1;
                if (parser.midFrame()) {
                    fail("truncated-frame", "a frame was started but not completed in time; closing the connection");
                }
            });
        }
    }

    private void cancelTimer() {
        if (frameTimer >= 0) {
            vertx.cancelTimer(frameTimer);
            frameTimer = -1;
        }
    }

    private void onProblem(WyomingFrameParser.Problem problem) {
        if (problem.fatal()) {
            fail(problem.code(), problem.text());
        } else {
            send(WyomingEvent.error(problem.code(), problem.text()));
        }
    }
}
