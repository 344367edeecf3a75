package dev.hearth.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Listens to mcp-config-service's config-change events ({@code {"version":N,"kind":"…","id":"…"}}
 * on {@code <prefix>config-changes}) and fires them as {@link ConfigChange} CDI events. The Quarkus
 * Redis client does not resubscribe a Pub/Sub connection that dropped, so this does, with backoff;
 * every (re)subscription fires {@link ConfigChange#resync()}, because events published meanwhile
 * are lost.
 */
@ApplicationScoped
public class ConfigChangeListener {

    private static final Logger LOG = Logger.getLogger(ConfigChangeListener.class);
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final ReactivePubSubCommands<String> pubsub;
    private final String channel;
    private final Event<ConfigChange> changes;
    private final ObjectMapper json;
    private final Vertx vertx;
    private volatile boolean stopped;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber current;
    private long backoffMs = MIN_BACKOFF_MS;
    private boolean warned;

    public ConfigChangeListener(ReactiveRedisDataSource redis, @ConfigProperty(name = "hearth.redis.prefix") String prefix,
            Event<ConfigChange> changes, ObjectMapper json, Vertx vertx) {
        this.pubsub = redis.pubsub(String.class);
        this.channel = prefix + "config-changes";
        this.changes = changes;
        this.json = json;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        subscribe();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        ReactivePubSubCommands.ReactiveRedisSubscriber subscriber = current;
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** The channel listened to. */
    public String channel() {
        return channel;
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        // One subscription's end and failure may both be reported; only the first reconnects.
        AtomicBoolean lost = new AtomicBoolean();
        Runnable reconnect = () -> {
            if (lost.compareAndSet(false, true)) {
                current = null;
                retryLater("connection lost");
            }
        };
        pubsub.subscribe(List.of(channel), (name, message) -> dispatch(message), reconnect, failure -> reconnect.run())
                .subscribe().with(subscriber -> {
                    current = subscriber;
                    synchronized (this) {
                        backoffMs = MIN_BACKOFF_MS;
                        if (warned) {
                            LOG.infof("subscribed to %s again", channel);
                        }
                        warned = false;
                    }
                    changes.fire(ConfigChange.resync());
                }, failure -> {
                    if (lost.compareAndSet(false, true)) {
                        retryLater(failure.getMessage());
                    }
                });
    }

    private void retryLater(String why) {
        if (stopped) {
            return;
        }
        long delay;
        synchronized (this) {
            if (!warned) {
                warned = true;
                LOG.warnf("not subscribed to %s (%s); retrying. Revoked keys may be honoured until their "
                        + "cache entry expires", channel, why);
            }
            delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        vertx.setTimer(delay, id -> subscribe());
    }

    private void dispatch(String message) {
        ConfigChange change;
        try {
            JsonNode node = json.readTree(message);
            change = new ConfigChange(node.path("version").asLong(-1), node.path("kind").asText(""),
                    node.path("id").asText(""));
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable config-change event on %s", channel);
            return;
        }
        try {
            changes.fire(change);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling config change %s failed", change);
        }
    }
}
