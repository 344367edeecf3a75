package dev.hearth.gateway.security;

import dev.hearth.gateway.config.ConfigSyncConfig;
import dev.hearth.gateway.redis.GatewayKeys;
import dev.hearth.gateway.redis.RedisPubSub;
import dev.hearth.proto.config.ConfigVersionFollower;
import dev.hearth.proto.v1.GetConfigVersionRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc.MutinyConfigServiceStub;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Follows mcp-config-service's config-change events ({@code {"version":N,"kind":"…","id":"…"}} on
 * {@code <prefix>config-changes}) on the gateway's one Pub/Sub connection ({@link RedisPubSub}) and
 * fires them as {@link ConfigChange} CDI events: cached API-key verdicts and connections of a key
 * ({@code api_key}), the profile list ({@code profile}). Pub/Sub is at-most-once, so the version
 * decides ({@link ConfigVersionFollower}): on every (re)subscription and every
 * {@code hearth.config-sync.check-interval} it is compared with {@code GetConfigVersion}, and a gap,
 * a version going backwards or an unknown kind fires {@link ConfigChange#resync()}.
 */
@ApplicationScoped
public class ConfigChangeListener {

    private static final Logger LOG = Logger.getLogger(ConfigChangeListener.class);
    /** provider: the gateway keeps nothing derived from providers (the profile list is names only). */
    static final Set<String> KINDS = Set.of(ConfigChange.KIND_API_KEY, ConfigChange.KIND_PROFILE, "provider");

    private final RedisPubSub pubsub;
    private final String channel;
    private final Event<ConfigChange> changes;
    private final Vertx vertx;
    private final ConfigSyncConfig sync;
    private final ConfigVersionFollower follower;
    private volatile boolean subscribed;
    private long timer = -1;

    // The version is read on a channel of its own: it is polled whether or not anyone connects, and
    // a poll while mcp-config-service is away must not leave the key verifications' channel
    // waiting out a reconnect backoff when it is back.
    public ConfigChangeListener(RedisPubSub pubsub, GatewayKeys keys, Event<ConfigChange> changes, Vertx vertx,
            ConfigSyncConfig sync, @GrpcClient("config-version") MutinyConfigServiceStub config, MeterRegistry registry) {
        this.pubsub = pubsub;
        this.channel = keys.prefix() + "config-changes";
        this.changes = changes;
        this.vertx = vertx;
        this.sync = sync;
        // Wait for ready: a resync right after Redis came back must not fail fast because the
        // channel is still backing off from an earlier attempt; the deadline bounds the wait.
        this.follower = new ConfigVersionFollower(() -> config
                .withWaitForReady()
                .withDeadlineAfter(sync.versionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getConfigVersion(GetConfigVersionRequest.getDefaultInstance())
                .map(v -> v.getVersion())
                .subscribeAsCompletionStage(), new GatewayCaches());
        Gauge.builder("hearth.config.version", follower, ConfigVersionFollower::appliedVersion)
                .description("The mcp-config-service config version this service's caches reflect")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        pubsub.onReconnect(() -> resubscribed("Redis Pub/Sub reconnected"));
        pubsub.subscribe(channel, this::dispatch).subscribe().with(
                ok -> resubscribed("subscribed to config changes"),
                failure -> LOG.warnf("not subscribed to %s yet (%s); the Pub/Sub connection retries. Revoked keys "
                        + "may be honoured until their cache entry expires", channel, failure.getMessage()));
        timer = vertx.setPeriodic(sync.checkInterval().toMillis(), id -> follower.check());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        subscribed = false;
    }

    /** The channel listened to. */
    public String channel() {
        return channel;
    }

    /** The version the gateway's caches reflect at least; -1 before the first resync. */
    public long appliedVersion() {
        return follower.appliedVersion();
    }

    public boolean inSync() {
        return follower.inSync();
    }

    /** Whether the change channel is subscribed now (confirmed once, and the connection is up). */
    public boolean subscribed() {
        return subscribed && pubsub.connected();
    }

    public long resyncs() {
        return follower.resyncs();
    }

    /** For tests and operators: compare with mcp-config-service now instead of at the next tick. */
    public void checkNow() {
        follower.check();
    }

    private void resubscribed(String why) {
        subscribed = true;
        follower.resync(why);
    }

    private void dispatch(String message) {
        JsonObject change;
        try {
            change = new JsonObject(message);
        } catch (RuntimeException e) {
            LOG.warnf("unreadable config-change event on %s; resyncing", channel);
            follower.resync("unreadable change message");
            return;
        }
        follower.onChange(change.getLong("version", -1L), change.getString("kind", ""), change.getString("id", ""));
    }

    private void fire(ConfigChange change) {
        try {
            changes.fire(change);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling config change %s failed", change);
        }
    }

    private final class GatewayCaches implements ConfigVersionFollower.Caches {

        @Override
        public boolean knows(String kind) {
            return KINDS.contains(kind);
        }

        @Override
        public void drop(String kind, String id) {
            if (!"provider".equals(kind)) {
                fire(new ConfigChange(follower.appliedVersion(), kind, id));
            }
        }

        @Override
        public void dropAll() {
            fire(ConfigChange.resync());
        }
    }
}
