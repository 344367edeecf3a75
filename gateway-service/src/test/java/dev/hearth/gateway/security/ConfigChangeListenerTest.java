package dev.hearth.gateway.security;

import dev.hearth.infra.testing.RestartableRedis;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.hearth.gateway.FakeAuth;
import dev.hearth.gateway.FakeRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway follows config changes on its Pub/Sub connection, over a Redis of its own that is
 * restarted in the middle of 1,000 key changes. Verified keys are cached; each change renames a key
 * in the fake mcp-config-service and is announced as mcp-config-service does. The periodic check
 * is set to an hour, so convergence comes from the messages and the resync on resubscription.
 */
@QuarkusTest
@TestProfile(ConfigChangeListenerTest.HourlyCheck.class)
@QuarkusTestResource(value = FakeRouter.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RestartableRedis.class, restrictToAnnotatedClass = true)
class ConfigChangeListenerTest {

    public static class HourlyCheck implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.config-sync.check-interval", "1h");
        }
    }

    private static final int KEYS = 20;
    private static final int WRITES = 1_000;
    private static Process restarted;

    @Inject
    ConfigChangeListener listener;

    @Inject
    ApiKeyAuthenticator authenticator;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @ConfigProperty(name = "hearth.redis.url")
    URI redisUrl;

    @ConfigProperty(name = "hearth.redis.prefix")
    String prefix;

    @BeforeEach
    void inSyncWithTheFake() {
        FakeRouter.ensureStarted(routerPort);
        FakeAuth.DOWN.set(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> listener.subscribed());
        // The first resync may have run before the fake was up; the timer's check retries it.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            listener.checkNow();
            return listener.inSync() && listener.appliedVersion() == FakeAuth.CONFIG_VERSION.get();
        });
    }

    @AfterAll
    static void stopRestartedRedis() {
        if (restarted != null) {
            restarted.destroy();
        }
    }

    @Test
    void aThousandKeyChangesWithRedisRestartedInTheMiddleLoseNothing() {
        int port = redisUrl.getPort();
        FakeAuth.Key[] keys = new FakeAuth.Key[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = FakeAuth.newKey();
        }
        String[] finalName = new String[KEYS];
        long resyncsBefore = listener.resyncs();
        int published = 0;
        for (int i = 0; i < WRITES; i++) {
            if (i == 400) {
                RestartableRedis.shutdown(port);
            }
            if (i == 700) {
                restarted = RestartableRedis.launch(port);
            }
            int k = i % KEYS;
            finalName[k] = "name-" + i;
            keys[k].rename(finalName[k]);
            long version = FakeAuth.CONFIG_VERSION.incrementAndGet();
            if (RestartableRedis.publish(port, prefix + "config-changes", new JsonObject().put("version", version)
                    .put("kind", "api_key").put("id", keys[k].id()).encode())) {
                published++;
            }
            // Verified keys stay cached: a lost change would leave a stale verdict behind.
            authenticator.authenticate(keys[k].secret()).await().atMost(Duration.ofSeconds(5));
        }
        assertThat(published).as("messages published while Redis was down are lost").isLessThan(WRITES);

        long last = FakeAuth.CONFIG_VERSION.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.appliedVersion() == last);
        assertThat(listener.resyncs()).as("resynced on resubscription").isGreaterThan(resyncsBefore);
        for (int k = 0; k < KEYS; k++) {
            assertThat(authenticator.authenticate(keys[k].secret()).await().atMost(Duration.ofSeconds(5)).name())
                    .as("key " + k).isEqualTo(finalName[k]);
        }
        given().get("/q/metrics").then().statusCode(200).body(containsString("hearth_config_version " + last + ".0"));
        io.restassured.path.json.JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        assertThat(health.getLong("checks.find { it.name == 'config-version' }.data.version")).isEqualTo(last);
    }

    @Test
    void anUnknownChangeKindDropsEveryCachedVerdict() {
        FakeAuth.Key key = FakeAuth.newKey();
        authenticator.authenticate(key.secret()).await().atMost(Duration.ofSeconds(5));
        key.rename("renamed without an api_key event");
        long version = FakeAuth.CONFIG_VERSION.incrementAndGet();
        RestartableRedis.publish(redisUrl.getPort(), prefix + "config-changes",
                new JsonObject().put("version", version).put("kind", "something_new").put("id", "x").encode());

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.appliedVersion() == version);
        assertThat(authenticator.authenticate(key.secret()).await().atMost(Duration.ofSeconds(5)).name())
                .isEqualTo("renamed without an api_key event");
    }
}
