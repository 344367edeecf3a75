package dev.hearth.wyoming;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/** Opens a Wyoming server's TCP port for a service. */
public final class WyomingListener {

    private static final Logger LOG = Logger.getLogger(WyomingListener.class);

    private WyomingListener() {
    }

    /**
     * Listens on {@code config.host()}:{@code port}; null when the server is disabled or the port is
     * taken. A taken port (a second replica on one host, Home Assistant's own Wyoming server there)
     * is logged, not thrown: the service's gRPC contract must not go down with it.
     */
    public static NetServer listen(Vertx vertx, WyomingServerConfig config, int port, String what,
            Handler<NetSocket> connections) throws InterruptedException, TimeoutException {
        if (!config.enabled()) {
            return null;
        }
        NetServer created = vertx.createNetServer(new NetServerOptions().setHost(config.host()).setPort(port))
                .connectHandler(connections);
        try {
            created.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warnf("Wyoming %s server not started: %s:%d: %s", what, config.host(), port, e.getCause());
            created.close();
            return null;
        }
        LOG.infof("Wyoming %s server listening on %s:%d", what, config.host(), created.actualPort());
        return created;
    }
}
