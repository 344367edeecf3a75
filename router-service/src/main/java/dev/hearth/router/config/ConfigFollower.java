package dev.hearth.router.config;

import dev.hearth.proto.config.ConfigVersionFollower;
import dev.hearth.router.client.ConfigClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies mcp-config-service's config changes to what the router keeps, without a restart:
 * profiles ({@link ConfigClient}'s cache) and tool catalogs ({@code tool-catalog}). A profile
 * change drops that profile and the default one (the default may have moved); a provider change
 * drops every profile (each embeds its providers); API keys are not the router's. Tool catalogs
 * are dropped on every profile or provider change. Version tracking, gap and backwards detection
 * are {@link ConfigVersionFollower}'s; this adds the Redis subscription, the periodic check and
 * the {@code hearth_config_version} gauge.
 */
@ApplicationScoped
public class ConfigFollower {

    private static final Logger LOG = Logger.getLogger(ConfigFollower.class);
    static final Set<String> KINDS = Set.of("profile", "provider", "api_key");

    private final ConfigClient config;
    private final Cache toolCatalogs;
    private final Vertx vertx;
    private final ConfigSyncConfig sync;
    private final ConfigVersionFollower follower;
    private final ConfigChangeSubscription subscription;
    private long timer = -1;

    public ConfigFollower(ConfigClient config, @CacheName("tool-catalog") Cache toolCatalogs, Vertx vertx,
            ConfigSyncConfig sync, MeterRegistry registry, @ConfigProperty(name = "hearth.redis.url") String redisUrl,
            @ConfigProperty(name = "hearth.redis.prefix") String prefix) {
        this.config = config;
        this.toolCatalogs = toolCatalogs;
        this.vertx = vertx;
        this.sync = sync;
        this.follower = new ConfigVersionFollower(
                () -> config.configVersion().subscribeAsCompletionStage(), new RouterCaches());
        this.subscription = new ConfigChangeSubscription(vertx, redisUrl, prefix + "config-changes", this::onMessage,
                () -> follower.resync("subscribed to config changes"));
        Gauge.builder("hearth.config.version", follower, ConfigVersionFollower::appliedVersion)
                .description("The mcp-config-service config version this service's caches reflect")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        subscription.start();
        timer = vertx.setPeriodic(sync.checkInterval().toMillis(), id -> follower.check());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        subscription.stop();
    }

    /** The version the router's caches reflect at least; -1 before the first resync. */
    public long appliedVersion() {
        return follower.appliedVersion();
    }

    public boolean inSync() {
        return follower.inSync();
    }

    public boolean subscribed() {
        return subscription.subscribed();
    }

    public long resyncs() {
        return follower.resyncs();
    }

    /** For tests and operators: compare with mcp-config-service now instead of at the next tick. */
    public void checkNow() {
        follower.check();
    }

    void onMessage(String message) {
        JsonObject change;
        try {
            change = new JsonObject(message);
        } catch (RuntimeException e) {
            LOG.warnf("ignoring an unreadable config-change message; resyncing instead");
            follower.resync("unreadable change message");
            return;
        }
        follower.onChange(change.getLong("version", -1L), change.getString("kind", ""), change.getString("id", ""));
    }

    private final class RouterCaches implements ConfigVersionFollower.Caches {

        @Override
        public boolean knows(String kind) {
            return KINDS.contains(kind);
        }

        @Override
        public void drop(String kind, String id) {
            switch (kind) {
                case "profile" -> await(config.forgetProfile(id).chain(() -> config.forgetProfile(""))
                        .chain(toolCatalogs::invalidateAll));
                case "provider" -> await(config.forgetProfiles().chain(toolCatalogs::invalidateAll));
                default -> { } // api_key: the gateway's
            }
        }

        @Override
        public void dropAll() {
            await(config.forgetProfiles().chain(toolCatalogs::invalidateAll));
        }

        // Caffeine invalidation is synchronous under the Uni: this returns at once, without blocking.
        private void await(Uni<Void> invalidation) {
            invalidation.subscribe().with(ok -> { }, failure -> LOG.warnf("dropping config caches failed: %s",
                    failure.getMessage()));
        }
    }
}
