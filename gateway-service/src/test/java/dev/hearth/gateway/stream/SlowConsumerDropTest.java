package dev.hearth.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.ws.WsTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The other slow-consumer policy: the stalled client is taken off the stream, its connection stays. */
@QuarkusTest
@TestProfile(SlowConsumerDropTest.DropSlowWatchers.class)
@QuarkusTestResource(value = FakeRouter.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = dev.hearth.infra.testing.RedisTestResource.class, restrictToAnnotatedClass = true)
class SlowConsumerDropTest {

    public static class DropSlowWatchers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "hearth.gateway.send-buffer-messages", "16",
                    "hearth.gateway.streams.slow-consumer-policy", "deregister_client");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    @Test
    void aStalledWatcherIsDroppedToldWhereItWasAndResumesFromThere() throws Exception {
        String streamId = "drop-" + UUID.randomUUID();
        try (WsTestClient starter = WsTestClient.open(base.getPort()); WsTestClient stalled = WsTestClient.open(base.getPort())) {
            starter.send("chat", "c", new JsonObject().put("text", "flood:3000:4000").put("stream_id", streamId));
            starter.nextFor("c");
            stalled.send("subscribe", "s", new JsonObject().put("stream_id", streamId).put("after_seq", 0));
            stalled.nextFor("s");
            stalled.pause();

            List<JsonObject> all = starter.streamOf("c");
            assertThat(all).hasSize(3001);
            assertThat(all.get(all.size() - 1).getString("finish_reason")).isEqualTo("stop");

            stalled.resume();
            JsonObject dropped;
            long lastReceived = 0;
            while (true) {
                JsonObject message = stalled.next();
                if ("error".equals(message.getString("status")) && message.getLong("seq") == null) {
                    dropped = message;
                    break;
                }
                assertThat(message.getLong("seq")).isEqualTo(lastReceived + 1);
                lastReceived = message.getLong("seq");
            }
            assertThat(dropped.getString("request_id")).isEqualTo("s");
            assertThat(dropped.getJsonObject("error").getString("code")).isEqualTo("slow_consumer");
            assertThat(dropped.getJsonObject("error").getString("stream_id")).isEqualTo(streamId);
            assertThat(dropped.getJsonObject("error").getLong("last_seq")).isEqualTo(lastReceived);
            assertThat(lastReceived).isLessThan(3001);

            // The connection is fine, and the client resumes exactly where it was dropped.
            stalled.send("ping", "p", new JsonObject());
            assertThat(stalled.nextFor("p").getString("status")).isEqualTo("pong");
            stalled.send("subscribe", "again", new JsonObject().put("stream_id", streamId).put("after_seq", lastReceived));
            assertThat(stalled.nextFor("again").getString("status")).isEqualTo("complete");
            List<JsonObject> rest = stalled.streamOf("c");
            assertThat(rest).isEqualTo(all.subList((int) lastReceived, all.size()));
        }
    }
}
