package dev.hearth.router.config;

import dev.hearth.infra.testing.RestartableRedis;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.router.FakeDownstream;
import dev.hearth.router.client.ConfigClient;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router follows config changes without a restart, over a Redis of its own that is restarted
 * in the middle. The fake mcp-config-service's profiles are edited and each edit is announced as
 * mcp-config-service does ({@code {version, kind, id}} on {@code <prefix>config-changes}); the
 * periodic check is set to an hour, so convergence comes from change messages and the resync on
 * resubscription alone.
 */
@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
@QuarkusTestResource(value = RestartableRedis.class, restrictToAnnotatedClass = true)
@io.quarkus.test.junit.TestProfile(ConfigFollowerTest.HourlyCheck.class)
class ConfigFollowerTest {

    public static class HourlyCheck implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("hearth.config-sync.check-interval", "1h");
        }
    }

    private static final int PROFILES = 20;
    private static final int WRITES = 1_000;
    private static Process restarted;

    @Inject
    ConfigFollower follower;

    @Inject
    ConfigClient config;

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @ConfigProperty(name = "hearth.redis.url")
    URI redisUrl;

    @ConfigProperty(name = "hearth.redis.prefix")
    String prefix;

    @BeforeEach
    void inSyncWithTheFake() {
        FakeDownstream.ensureStarted(downstreamPort);
        await().atMost(Duration.ofSeconds(20)).until(() -> follower.subscribed());
        // The first resync ran before the fake was up; the timer's check (an hour here) is what
        // retries it, so the test ticks it until the gRPC channel has reconnected to the fake.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            follower.checkNow();
            return follower.inSync() && follower.appliedVersion() == FakeDownstream.CONFIG_VERSION.get();
        });
    }

    @AfterAll
    static void stopRestartedRedis() {
        if (restarted != null) {
            restarted.destroy();
        }
    }

    @Test
    void aProfileEditedInMcpConfigChangesTheNextChatsModelWithoutARestart() {
        FakeDownstream.EDITABLE_MODELS.put("editable", "model-before");
        assertThat(startedModel("editable")).isEqualTo("model-before");

        // Kept: an edit nobody announces is not seen by the next chat.
        FakeDownstream.EDITABLE_MODELS.put("editable", "model-after");
        assertThat(startedModel("editable")).isEqualTo("model-before");

        long version = write("editable", "model-after");
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.appliedVersion() == version);
        assertThat(startedModel("editable")).isEqualTo("model-after");
    }

    @Test
    void aThousandWritesWithRedisRestartedInTheMiddleLoseNothing() {
        int port = redisUrl.getPort();
        long resyncsBefore = follower.resyncs();
        String[] finalModel = new String[PROFILES];
        int published = 0;
        for (int i = 0; i < WRITES; i++) {
            if (i == 400) {
                RestartableRedis.shutdown(port);
            }
            if (i == 700) {
                restarted = RestartableRedis.launch(port);
            }
            int p = i % PROFILES;
            finalModel[p] = "model-" + i;
            if (write("sync-" + p, finalModel[p]) > 0) {
                published++;
            }
            // Reading keeps every profile cached, so a lost change would leave a stale entry behind.
            assertThat(config.profile("sync-" + p).await().atMost(Duration.ofSeconds(5)).getName()).isEqualTo("sync-" + p);
        }
        assertThat(published).as("messages published while Redis was down are lost").isLessThan(WRITES);

        long last = FakeDownstream.CONFIG_VERSION.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.appliedVersion() == last);
        assertThat(follower.resyncs()).as("resynced on resubscription").isGreaterThan(resyncsBefore);
        for (int p = 0; p < PROFILES; p++) {
            assertThat(config.profile("sync-" + p).await().atMost(Duration.ofSeconds(5)).getTargets(0).getModel())
                    .as("profile sync-" + p).isEqualTo(finalModel[p]);
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hearth_config_version " + last + ".0"));
        io.restassured.path.json.JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        assertThat(health.getLong("checks.find { it.name == 'config-version' }.data.version")).isEqualTo(last);
        assertThat(health.getBoolean("checks.find { it.name == 'config-version' }.data.in_sync")).isTrue();
    }

    /** Edits a profile of the fake mcp-config-service and announces it; the version, or -1 when not published. */
    private long write(String profile, String model) {
        FakeDownstream.EDITABLE_MODELS.put(profile, model);
        long version = FakeDownstream.CONFIG_VERSION.incrementAndGet();
        String message = new JsonObject().put("version", version).put("kind", "profile").put("id", profile).encode();
        return RestartableRedis.publish(redisUrl.getPort(), prefix + "config-changes", message) ? version : -1;
    }

    private String startedModel(String profile) {
        List<ChatEvent> events = router.chat(Multi.createFrom().item(ChatRequest.newBuilder()
                        .setRequestId("r-" + UUID.randomUUID()).setUserId("alice").setProfile(profile).setText("Hi")
                        .build()))
                .collect().asList().await().atMost(Duration.ofSeconds(10));
        assertThat(events.get(0).hasStarted()).as("first event of %s", events).isTrue();
        return events.get(0).getStarted().getModel();
    }
}
