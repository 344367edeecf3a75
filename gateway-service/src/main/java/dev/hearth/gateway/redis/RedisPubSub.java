package dev.hearth.gateway.redis;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Every channel this replica listens to, on one Redis connection (a connection per channel would
 * not scale to a channel per watched stream). When the connection drops it reconnects with
 * backoff, subscribes everything again and tells the reconnect listeners, because messages
 * published meanwhile are lost (Pub/Sub is at-most-once) and they must re-read what they missed.
 */
@ApplicationScoped
public class RedisPubSub {

    private static final Logger LOG = Logger.getLogger(RedisPubSub.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Redis redis;
    private final Vertx vertx;
    /** Named like the application's other Redis connections, so operators (and tests) can tell them apart. */
    private final java.util.Optional<String> clientName;
    private final Map<String, Consumer<String>> channels = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private Uni<RedisConnection> connecting;
    private volatile boolean stopped;
    private long backoffMs = 100;
    private boolean reconnectScheduled;

    /**
     * A client of its own: a connection in subscribe mode must never go back into the pool the
     * application's commands use (a command given to it would wait for an answer that never comes).
     */
    public RedisPubSub(Vertx vertx, @org.eclipse.microprofile.config.inject.ConfigProperty(name = "hearth.redis.url") String url,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.redis.client-name")
            java.util.Optional<String> clientName) {
        this.redis = Redis.createClient(vertx, new io.vertx.redis.client.RedisOptions().setConnectionString(url)
                .setMaxPoolSize(2).setMaxPoolWaiting(64));
        this.vertx = vertx;
        this.clientName = clientName;
    }

    /** Whether the connection is up or being set up (false while waiting to reconnect). */
    public synchronized boolean connected() {
        return connecting != null;
    }

    /** Called after a reconnect, once every channel is subscribed again. */
    public void onReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    /** Completes when Redis has confirmed the subscription: every message published after that arrives. */
    public Uni<Void> subscribe(String channel, Consumer<String> handler) {
        channels.put(channel, handler);
        return connection()
                .chain(connection -> connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel)))
                .replaceWithVoid();
    }

    /** Stops listening to {@code channel}, if {@code handler} is still the one listening. */
    public void unsubscribe(String channel, Consumer<String> handler) {
        if (!channels.remove(channel, handler)) {
            return;
        }
        connection().chain(connection -> connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel)))
                .subscribe().with(ok -> { }, failure -> LOG.debugf("unsubscribe %s: %s", channel, failure.getMessage()));
    }

    public Uni<Void> publish(String channel, String message) {
        return redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).replaceWithVoid();
    }

    private synchronized Uni<RedisConnection> connection() {
        if (connecting == null) {
            connecting = redis.connect()
                    .call(connection -> clientName.isEmpty() ? Uni.createFrom().voidItem()
                            : connection.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName.get())))
                    .invoke(this::listen)
                    .onFailure().invoke(failure -> {
                        forget();
                        scheduleReconnect();
                    })
                    .memoize().indefinitely();
        }
        return connecting;
    }

    private void listen(RedisConnection connection) {
        connection.handler(this::dispatch);
        connection.exceptionHandler(failure -> lost(connection, failure.getMessage()));
        connection.endHandler(() -> lost(connection, "connection closed"));
    }

    private void dispatch(Response response) {
        // ["message", channel, payload]: RESP2 arrays and RESP3 pushes look alike here.
        if (response.size() == 3 && "message".equals(response.get(0).toString())) {
            Consumer<String> handler = channels.get(response.get(1).toString());
            if (handler != null) {
                try {
                    handler.accept(response.get(2).toString());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "handling a message on %s failed", response.get(1));
                }
            }
        }
    }

    private synchronized void forget() {
        connecting = null;
    }

    private void lost(RedisConnection connection, String why) {
        synchronized (this) {
            if (connecting == null) {
                return;
            }
            connecting = null;
        }
        connection.closeAndForget();
        if (stopped) {
            return;
        }
        LOG.warnf("Redis Pub/Sub connection lost (%s); reconnecting", why);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long delay;
        synchronized (this) {
            if (reconnectScheduled || stopped) {
                return;
            }
            reconnectScheduled = true;
            delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        vertx.setTimer(delay, id -> resubscribeAll());
    }

    private void resubscribeAll() {
        synchronized (this) {
            reconnectScheduled = false;
        }
        if (stopped) {
            return;
        }
        List<String> names = List.copyOf(channels.keySet());
        // One SUBSCRIBE naming every channel: the client refuses Pub/Sub commands in a batch.
        Request subscribeAll = Request.cmd(Command.SUBSCRIBE);
        names.forEach(subscribeAll::arg);
        connection()
                .chain(connection -> names.isEmpty() ? Uni.createFrom().voidItem()
                        : connection.send(subscribeAll).replaceWithVoid())
                .subscribe().with(ok -> {
                    synchronized (this) {
                        backoffMs = 100;
                    }
                    LOG.infof("Redis Pub/Sub reconnected; %d channels subscribed again", names.size());
                    reconnectListeners.forEach(Runnable::run);
                }, failure -> {
                    LOG.debugf("Redis Pub/Sub reconnect failed: %s", failure.getMessage());
                    // A connection that could not subscribe is of no use: drop it and try again later.
                    Uni<RedisConnection> failed;
                    synchronized (this) {
                        failed = connecting;
                        connecting = null;
                    }
                    if (failed != null) {
                        failed.subscribe().with(RedisConnection::closeAndForget, ignored -> { });
                    }
                    scheduleReconnect();
                });
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        Uni<RedisConnection> current;
        synchronized (this) {
            current = connecting;
            connecting = null;
        }
        if (current != null) {
            current.subscribe().with(RedisConnection::closeAndForget, failure -> { });
        }
        redis.close();
    }
}
