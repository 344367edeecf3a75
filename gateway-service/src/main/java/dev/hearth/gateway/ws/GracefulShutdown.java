package dev.hearth.gateway.ws;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.stream.StreamRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * On SIGTERM: stop taking new connections and chats, let running streams finish within the grace
 * period, end the rest with a terminal event ({@code complete}/{@code incomplete}), and close every
 * connection with 1001 (going away) once what was queued for it is written.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final StreamRegistry streams;
    private final Connections connections;
    private final GatewayConfig config;
    private volatile boolean draining;

    public GracefulShutdown(StreamRegistry streams, Connections connections, GatewayConfig config) {
        this.streams = streams;
        this.connections = connections;
        this.config = config;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * The first step of shutdown, while the HTTP server still serves (quarkus.shutdown.delay-enabled):
     * by ShutdownEvent, websockets-next would already have closed every connection with 1000.
     */
    void onShutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
        drain(config.shutdownGrace());
    }

    /** A shutdown without the delay phase (it is a build-time option) still drains what it can. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain(config.shutdownGrace());
    }

    /** Blocks up to the grace period plus a moment to flush; for the shutdown thread (and tests). Once. */
    public void drain(Duration grace) {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        int running = streams.count();
        if (running > 0) {
            LOG.infof("shutting down: waiting up to %s for %d running streams", grace, running);
        }
        int cut = streams.drain(grace);
        if (cut > 0) {
            LOG.infof("shutting down: %d streams ended as incomplete", cut);
        }
        for (ClientOutbox outbox : connections.all()) {
            outbox.closeWhenWritten(new CloseReason(ClientOutbox.CLOSE_GOING_AWAY, "server shutting down"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (connections.all().stream().anyMatch(o -> o.connection().isOpen()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
