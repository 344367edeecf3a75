package dev.hearth.router.config;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One Redis Pub/Sub subscription to mcp-config-service's change channel, on a connection of its own
 * (a subscribed connection must never serve commands). The Redis client does not resubscribe a
 * connection that dropped, so this reconnects with backoff and calls {@code onSubscribed} after
 * every confirmed (re)subscription: messages published meanwhile are lost and the owner resyncs.
 */
final class ConfigChangeSubscription {

    private static final Logger LOG = Logger.getLogger(ConfigChangeSubscription.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Vertx vertx;
    private final Redis redis;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private volatile boolean subscribed;
    private boolean stopped;
    private RedisConnection connection;
    private long backoffMs = MIN_BACKOFF_MS;
    private boolean warned;
    private long attempts;
    private long retried;

    ConfigChangeSubscription(Vertx vertx, String redisUrl, String channel, Consumer<String> onMessage,
            Runnable onSubscribed) {
        this.vertx = vertx;
        this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(1));
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
    }

    void start() {
        connect();
    }

    boolean subscribed() {
        return subscribed;
    }

    synchronized void stop() {
        stopped = true;
        subscribed = false;
        if (connection != null) {
            connection.closeAndForget();
            connection = null;
        }
        redis.close();
    }

    private void connect() {
        long attempt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            attempt = ++attempts;
        }
        redis.connect()
                .invoke(c -> listen(c, attempt))
                .chain(c -> c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).replaceWith(c))
                .subscribe().with(c -> {
                    synchronized (this) {
                        if (stopped || attempt != attempts) {
                            return;
                        }
                        backoffMs = MIN_BACKOFF_MS;
                        if (warned) {
                            LOG.infof("subscribed to %s again", channel);
                        }
                        warned = false;
                    }
                    subscribed = true;
                    onSubscribed.run();
                }, failure -> retryLater(attempt, failure.getMessage()));
    }

    private void listen(RedisConnection c, long attempt) {
        synchronized (this) {
            connection = c;
        }
        c.handler(this::dispatch);
        c.exceptionHandler(failure -> retryLater(attempt, failure.getMessage()));
        c.endHandler(() -> retryLater(attempt, "connection closed"));
    }

    private void dispatch(Response response) {
        // ["message", channel, payload]: RESP2 arrays and RESP3 pushes look alike here.
        if (response.size() == 3 && "message".equals(response.get(0).toString())) {
            try {
                onMessage.accept(response.get(2).toString());
            } catch (RuntimeException e) {
                LOG.errorf(e, "handling a message on %s failed", channel);
            }
        }
    }

    /** An attempt's connection failed, ended or could not subscribe: only its first report reconnects. */
    private void retryLater(long attempt, String why) {
        long delay;
        RedisConnection lost;
        synchronized (this) {
            if (attempt != attempts || retried == attempt) {
                return;
            }
            retried = attempt;
            lost = connection;
            connection = null;
            subscribed = false;
            if (stopped) {
                return;
            }
            if (!warned) {
                warned = true;
                LOG.warnf("not subscribed to %s (%s); retrying. Config changes are picked up by version once "
                        + "subscribed again", channel, why);
            }
            delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        if (lost != null) {
            lost.closeAndForget();
        }
        vertx.setTimer(delay, id -> connect());
    }

    /** For tests: the channel listened to. */
    String channel() {
        return channel;
    }
}
