package dev.hearth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.config.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What config writes did, seen from outside the service: the config tables and version as stored
 * in PostgreSQL, and the change events heard on the Redis channel.
 */
public final class ConfigWriteProbe {

    // Every column of every config table, in a stable order: equal snapshots mean nothing was written.
    private static final String SNAPSHOT = """
            SELECT json_build_object(
                'version', (SELECT version FROM config_version WHERE id = 1),
                'providers', (SELECT json_agg(p ORDER BY p.name) FROM providers p),
                'profiles', (SELECT json_agg(p ORDER BY p.name) FROM profiles p),
                'targets', (SELECT json_agg(t ORDER BY t.profile_name, t.position) FROM profile_targets t))::text""";

    private final Pool pool;
    private final ReactiveRedisDataSource redis;
    private final String channel;
    private final List<JsonObject> heard = new CopyOnWriteArrayList<>();
    private ReactiveRedisSubscriber subscriber;

    public ConfigWriteProbe(Pool pool, ReactiveRedisDataSource redis, RedisKeys keys) {
        this.pool = pool;
        this.redis = redis;
        this.channel = keys.configChangesChannel();
    }

    /** Completes once Redis confirmed the subscription: nothing published afterwards is missed. */
    public void subscribe() {
        subscriber = join(redis.pubsub(String.class).subscribe(channel, message -> heard.add(new JsonObject(message))));
    }

    public void unsubscribe() {
        join(subscriber.unsubscribe());
    }

    /**
     * Every change event published so far, and no more to come from writes already answered: a
     * marker is published after them and awaited, and Redis delivers a channel's messages in order.
     */
    public List<JsonObject> changes() {
        String fence = UUID.randomUUID().toString();
        join(redis.pubsub(String.class).publish(channel, new JsonObject().put("fence", fence).encode()));
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(e -> fence.equals(e.getString("fence"))));
        List<JsonObject> changes = new ArrayList<>();
        for (JsonObject event : List.copyOf(heard)) {
            heard.remove(event);
            if (fence.equals(event.getString("fence"))) {
                break;
            }
            changes.add(event);
        }
        return changes;
    }

    /** This write bumped the version by one and was announced by exactly one event carrying that version. */
    public void assertOneChange(String kind, String id, long versionBefore) {
        assertThat(version()).isEqualTo(versionBefore + 1);
        List<JsonObject> changes = changes();
        assertThat(changes).hasSize(1);
        JsonObject change = changes.get(0);
        assertThat(change.fieldNames()).containsExactlyInAnyOrder("version", "kind", "id");
        assertThat(change.getLong("version")).isEqualTo(versionBefore + 1);
        assertThat(change.getString("kind")).isEqualTo(kind);
        assertThat(change.getString("id")).isEqualTo(id);
    }

    /** Nothing changed since {@code before} (a {@link #snapshot()}), the version included, and nothing was announced. */
    public void assertNothingWritten(String before) {
        assertThat(snapshot()).isEqualTo(before);
        assertThat(changes()).isEmpty();
    }

    /** The config tables and version as one string. */
    public String snapshot() {
        return join(pool.query(SNAPSHOT).execute()).iterator().next().getString(0);
    }

    public long version() {
        return join(pool.query("SELECT version FROM config_version WHERE id = 1").execute()).iterator().next().getLong(0);
    }

    private static <T> T join(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}
