package dev.hearth.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.ws.WsTestClient;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The StreamingManager's limits, small enough to reach: history, watchers, streams, silence, slow clients. */
@QuarkusTest
@TestProfile(StreamLimitsTest.Tight.class)
@QuarkusTestResource(value = FakeRouter.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = dev.hearth.infra.testing.RedisTestResource.class, restrictToAnnotatedClass = true)
class StreamLimitsTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "hearth.gateway.send-buffer-messages", "16",
                    "hearth.gateway.streams.history-size", "20",
                    "hearth.gateway.streams.inactivity-timeout", "1s",
                    "hearth.gateway.streams.max-clients-per-stream", "2",
                    "hearth.gateway.streams.max-concurrent", "3");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @Inject
    StreamRegistry registry;

    @BeforeEach
    void startFakeRouterAndWaitForQuiet() {
        FakeRouter.ensureStarted(routerPort);
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.count() == 0);
    }

    private WsTestClient client() throws Exception {
        return WsTestClient.open(base.getPort());
    }

    private static JsonObject chat(String text, String streamId) {
        return new JsonObject().put("text", text).put("stream_id", streamId);
    }

    private static void readUntil(WsTestClient client, String requestId, long seq) throws InterruptedException {
        while (client.nextFor(requestId).getLong("seq") < seq) {
            // skip
        }
    }

    @Test
    void aResumePointNoLongerInHistoryIsAGap() throws Exception {
        String streamId = "gap-" + UUID.randomUUID();
        try (WsTestClient starter = client(); WsTestClient late = client()) {
            starter.send("chat", "c", chat("steady:60:20", streamId));
            readUntil(starter, "c", 30);
            late.send("subscribe", "old", new JsonObject().put("stream_id", streamId).put("after_seq", 0));
            JsonObject refused = late.nextFor("old");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("stream_gap");
            late.send("subscribe", "recent", new JsonObject().put("stream_id", streamId).put("after_seq", 25));
            assertThat(late.nextFor("recent").getString("status")).isEqualTo("complete");
            List<JsonObject> rest = late.streamOf("c");
            assertThat(rest.get(0).getLong("seq")).isEqualTo(26);
            assertThat(rest.get(rest.size() - 1).getString("finish_reason")).isEqualTo("stop");
        }
    }

    @Test
    void aStreamTakesOnlySoManyWatchers() throws Exception {
        String streamId = "full-" + UUID.randomUUID();
        try (WsTestClient starter = client(); WsTestClient second = client(); WsTestClient third = client()) {
            starter.send("chat", "c", chat("steady:40:20", streamId));
            starter.nextFor("c");
            second.send("subscribe", "s2", new JsonObject().put("stream_id", streamId));
            assertThat(second.nextFor("s2").getString("status")).isEqualTo("complete");
            third.send("subscribe", "s3", new JsonObject().put("stream_id", streamId));
            assertThat(third.nextFor("s3").getJsonObject("error").getString("code")).isEqualTo("too_many_clients");
            third.send("ping", "p", new JsonObject());
            assertThat(third.nextFor("p").getString("status")).isEqualTo("pong");
            assertThat(starter.streamOf("c").get(0).getLong("seq")).isPositive();
        }
    }

    @Test
    void aReplicaRunsOnlySoManyStreams() throws Exception {
        try (WsTestClient client = client()) {
            for (int i = 0; i < 3; i++) {
                client.send("chat", "c" + i, chat("slow", "many-" + i + "-" + UUID.randomUUID()));
                client.nextFor("c" + i);
            }
            client.send("chat", "c3", chat("slow", "many-3-" + UUID.randomUUID()));
            assertThat(client.nextFor("c3").getJsonObject("error").getString("code")).isEqualTo("too_many_streams");
            for (StreamRegistryView stream : StreamRegistryView.of(registry)) {
                stream.cancel();
            }
        }
    }

    @Test
    void aSilentStreamIsEndedWithTimeoutAndItsGenerationStopped() throws Exception {
        int cancelledBefore = FakeRouter.CANCELLED.get();
        try (WsTestClient client = client()) {
            client.send("chat", "h", chat("hang", "hang-" + UUID.randomUUID()));
            List<JsonObject> events = client.streamOf("h");
            JsonObject terminal = events.get(events.size() - 1);
            assertThat(terminal.getString("status")).isEqualTo("error");
            assertThat(terminal.getJsonObject("error").getString("code")).isEqualTo("timeout");
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.CANCELLED.get() > cancelledBefore);
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith1013AndSlowsNoOne() throws Exception {
        String streamId = "flood-" + UUID.randomUUID();
        try (WsTestClient starter = client(); WsTestClient stalled = client()) {
            stalled.send("subscribe", "s", new JsonObject().put("stream_id", streamId));
            assertThat(stalled.nextFor("s").getJsonObject("error").getString("code")).isEqualTo("stream_not_found");
            starter.send("chat", "c", chat("flood:3000:4000", streamId));
            starter.nextFor("c");
            stalled.send("subscribe", "s2", new JsonObject().put("stream_id", streamId).put("after_seq", 0));
            stalled.nextFor("s2");
            stalled.pause();

            List<JsonObject> events = starter.streamOf("c");
            assertThat(events).hasSize(3001); // seq 1..3001 after the processing event read above
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).getLong("seq")).isEqualTo(i + 1);
            }
            assertThat(events.get(events.size() - 1).getString("finish_reason")).isEqualTo("stop");
            // Reading again, it finds what reached its socket before the eviction, then the close.
            stalled.resume();
            assertThat(stalled.closeStatus.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1013);
        }
    }
}
