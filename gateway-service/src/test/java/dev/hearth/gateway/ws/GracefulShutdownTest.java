package dev.hearth.gateway.ws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.gateway.FakeRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What SIGTERM does (the shutdown observer calls the same drain): streams that finish within the
 * grace period finish, the rest end with a terminal event, every client is closed with 1001, and
 * nothing new is taken. The application is left drained, hence a class of its own.
 */
@QuarkusTest
@TestProfile(GracefulShutdownTest.OwnApp.class)
@QuarkusTestResource(value = FakeRouter.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = dev.hearth.infra.testing.RedisTestResource.class, restrictToAnnotatedClass = true)
class GracefulShutdownTest {

    public static class OwnApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.gateway.shutdown-grace", "2s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @Inject
    GracefulShutdown shutdown;

    @BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    @Test
    void runningStreamsFinishOrEndWithATerminalAndClientsAreClosedWith1001() throws Exception {
        try (WsTestClient quick = WsTestClient.open(base.getPort()); WsTestClient long_ = WsTestClient.open(base.getPort())) {
            quick.send("chat", "q", new JsonObject().put("text", "steady:10:50"));
            long_.send("chat", "l", new JsonObject().put("text", "slow"));
            quick.nextFor("q");
            long_.nextFor("l");

            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> shutdown.drain(Duration.ofMillis(1500)));

            List<JsonObject> quickEvents = quick.streamOf("q");
            assertThat(quickEvents.get(quickEvents.size() - 1).getString("finish_reason")).isEqualTo("stop");
            List<JsonObject> longEvents = long_.streamOf("l");
            assertThat(longEvents.get(longEvents.size() - 1).getString("finish_reason")).isEqualTo("incomplete");

            drained.get(10, TimeUnit.SECONDS);
            assertThat(quick.closeStatus.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1001);
            assertThat(long_.closeStatus.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1001);

            given().get("/q/health/ready").then().statusCode(503);
            try (WsTestClient late = WsTestClient.connect(base.getPort())) {
                assertThat(late.closeStatus.get(5, TimeUnit.SECONDS)).isEqualTo((short) 1001);
            } catch (java.util.concurrent.ExecutionException refused) {
                // refused at the upgrade: also "not accepting"
                assertThat(refused.getCause()).isInstanceOf(io.vertx.core.http.UpgradeRejectedException.class);
            }
        }
    }
}
