package dev.hearth.config.aggregator;

import dev.hearth.config.config.AggregatorConfig;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.config.repository.McpServerRepository;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Makes an MCP server written through another mcp-config-service replica take effect here at once:
 * a {@code mcp_server} change heard on the config channel re-reads the stored servers (one small
 * query) and the registry reconnects what changed. Pub/Sub is at-most-once, so the registry's
 * periodic resync ({@code hearth.aggregator.resync-interval}) stays the safety net, and a
 * subscription that failed (Redis down at start) is retried on that same period.
 */
@ApplicationScoped
public class McpServerChangeListener {

    private static final Logger LOG = Logger.getLogger(McpServerChangeListener.class);

    private final ReactiveRedisDataSource redis;
    private final RedisKeys keys;
    private final UpstreamRegistry registry;
    private final AggregatorConfig config;
    private final AtomicReference<ReactiveRedisSubscriber> subscriber = new AtomicReference<>();
    private Cancellable retries;

    public McpServerChangeListener(@io.quarkus.redis.client.RedisClientName("changes") ReactiveRedisDataSource redis,
            RedisKeys keys, UpstreamRegistry registry,
            AggregatorConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.registry = registry;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        subscribe();
        retries = Multi.createFrom().ticks().every(config.resyncInterval())
                .subscribe().with(tick -> {
                    if (subscriber.get() == null) {
                        subscribe();
                    }
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (retries != null) {
            retries.cancel();
        }
        ReactiveRedisSubscriber current = subscriber.getAndSet(null);
        if (current != null) {
            current.unsubscribe().subscribe().with(ok -> { }, e -> { });
        }
    }

    private void subscribe() {
        redis.pubsub(String.class).subscribe(keys.configChangesChannel(), this::onMessage)
                .subscribe().with(subscriber::set,
                        e -> LOG.warnf("not hearing MCP server changes from other replicas yet (%s); "
                                + "the periodic resync applies them meanwhile", e.getMessage()));
    }

    void onMessage(String message) {
        String kind;
        try {
            kind = new JsonObject(message).getString("kind");
        } catch (DecodeException | ClassCastException e) {
            return;
        }
        if (McpServerRepository.CHANGE_KIND.equals(kind)) {
            registry.resync().subscribe().with(ok -> { },
                    e -> LOG.warnf("MCP servers not resynced after a change: %s", e.getMessage()));
        }
    }
}
