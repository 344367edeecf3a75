package dev.hearth.config.service;

import dev.hearth.infra.testing.RestartableRedis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.Provider;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.config.repository.ConfigVersionRepository;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.proto.config.ConfigVersionFollower;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance point of hot reload, from mcp-config-service's side: 1,000 real writes while its
 * Redis is stopped and started again in the middle. No write fails or is undone because a publish
 * failed; every write bumped the version exactly once; every change is either heard or recoverable
 * by version — a subscriber using the suite's {@link ConfigVersionFollower} (resync on
 * resubscription against the version in PostgreSQL) ends at the last version with every cached
 * provider in its final state.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RestartableRedis.class, restrictToAnnotatedClass = true)
class ConfigChangesAcrossRedisRestartTest {

    private static final int PROVIDERS = 10;
    private static final int WRITES = 1_000;
    private static Process restarted;

    @Inject
    ProviderService providers;

    @Inject
    ConfigVersionRepository versions;

    @Inject
    RedisKeys keys;

    @ConfigProperty(name = "hearth.redis.url")
    URI redisUrl;

    /** A subscriber's cache: provider → base URL as read from the service. */
    private final Map<String, String> cached = new ConcurrentHashMap<>();
    private final List<Long> heard = new CopyOnWriteArrayList<>();
    private Redis subscriber;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @org.junit.jupiter.api.AfterEach
    void closeSubscriber() {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    @AfterAll
    static void stopRestartedRedis() {
        if (restarted != null) {
            restarted.destroy();
        }
    }

    @Test
    void everyWriteIsPublishedOrRecoverableByVersion() {
        ConfigVersionFollower follower = new ConfigVersionFollower(
                () -> versions.current().subscribeAsCompletionStage(), new ConfigVersionFollower.Caches() {
                    @Override
                    public boolean knows(String kind) {
                        return "provider".equals(kind);
                    }

                    @Override
                    public void drop(String kind, String id) {
                        cached.remove(id);
                    }

                    @Override
                    public void dropAll() {
                        cached.clear();
                    }
                });
        subscribe(follower);
        follower.resync("subscribed").toCompletableFuture().join();
        long start = versions.current().await().atMost(Duration.ofSeconds(5));
        for (int p = 0; p < PROVIDERS; p++) {
            done(providers.create(provider(p, "http://127.0.0.1:1/v" + p)));
        }

        int port = redisUrl.getPort();
        String[] finalUrl = new String[PROVIDERS];
        for (int i = PROVIDERS; i < WRITES; i++) {
            if (i == 400) {
                RestartableRedis.shutdown(port);
            }
            if (i == 700) {
                restarted = RestartableRedis.launch(port);
                // A subscriber's Pub/Sub connection died with the server: it subscribes again and resyncs.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    subscribe(follower);
                    return true;
                });
                follower.resync("subscribed again");
            }
            int p = i % PROVIDERS;
            finalUrl[p] = "http://127.0.0.1:1/w" + i;
            // The publish fails while Redis is down; the write must not.
            done(providers.replace(provider(p, finalUrl[p])));
            // Read after the write: the entry can only go stale through a later change of p.
            cached.putIfAbsent("p" + p, done(providers.find("p" + p)).orElseThrow().baseUrl());
        }

        long last = versions.current().await().atMost(Duration.ofSeconds(5));
        assertThat(last).as("one version per write, none undone").isEqualTo(start + WRITES);
        for (int p = 0; p < PROVIDERS; p++) {
            assertThat(done(providers.find("p" + p)).orElseThrow().baseUrl()).isEqualTo(finalUrl[p]);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains(last));
        assertThat(heard).as("changes published while Redis was down are lost")
                .hasSizeLessThan(WRITES);
        assertThat(heard).isSorted().allMatch(v -> v > start && v <= last);
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.appliedVersion() == last);
        for (int p = 0; p < PROVIDERS; p++) {
            String name = "p" + p;
            String url = cached.get(name);
            assertThat(url == null ? done(providers.find(name)).orElseThrow().baseUrl() : url).as(name)
                    .isEqualTo(finalUrl[p]);
        }
    }

    /**
     * Subscribes on a connection of its own, as the suite's subscribers do (each owns its Pub/Sub
     * connection and subscribes again itself when it is lost): a client that also re-subscribes by
     * itself would race the test's own re-subscription.
     */
    private void subscribe(ConfigVersionFollower follower) {
        if (subscriber != null) {
            subscriber.close();
        }
        subscriber = Redis.createClient(vertx, redisUrl.toString());
        RedisConnection connection = subscriber.connect().await().atMost(Duration.ofSeconds(5));
        connection.handler(push -> {
            if (push.size() == 3 && "message".equals(push.get(0).toString())) {
                JsonObject change = new JsonObject(push.get(2).toString());
                heard.add(change.getLong("version"));
                follower.onChange(change.getLong("version"), change.getString("kind"), change.getString("id"));
            }
        });
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(keys.configChangesChannel())).await().atMost(Duration.ofSeconds(5));
    }

    private static Provider provider(int p, String baseUrl) {
        return new Provider("p" + p, "openai", baseUrl, "", List.of("m"), Map.of());
    }

    private static <T> T done(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}
