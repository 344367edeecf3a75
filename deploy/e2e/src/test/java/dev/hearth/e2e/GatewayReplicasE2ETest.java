package dev.hearth.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.ServiceProcess;
import dev.hearth.launcher.Suite;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas of the packaged suite sharing one Redis: a stream produced on one is
 * watched, resumed and cancelled from the other, with every event in order and none lost.
 */
@Order(2)
class GatewayReplicasE2ETest {

    private static Suite suite;
    private static String first;
    private static String second;

    @BeforeAll
    static void twoGateways() {
        suite = E2ESuite.get();
        ServiceProcess replica = suite.startReplica(ServiceId.GATEWAY);
        first = "ws://127.0.0.1:" + suite.port(ServiceId.GATEWAY) + "/ws/chat";
        second = "ws://127.0.0.1:" + replica.port() + "/ws/chat";
    }

    /** The demo provider echoes what it was told, a word a token, 20 ms apart: long enough to join mid-way. */
    private static String longText() {
        return java.util.stream.IntStream.range(0, 120).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
    }

    private static String chat(String requestId, String streamId, String text) {
        return "{\"action\":\"chat\",\"request_id\":\"" + requestId + "\",\"payload\":{\"text\":\"" + text
                + "\",\"stream_id\":\"" + streamId + "\"}}";
    }

    private static String subscribe(String requestId, String streamId, Long afterSeq) {
        return "{\"action\":\"subscribe\",\"request_id\":\"" + requestId + "\",\"payload\":{\"stream_id\":\"" + streamId + "\""
                + (afterSeq == null ? "" : ",\"after_seq\":" + afterSeq) + "}}";
    }

    private static List<JsonNode> eventsOf(WsClient client, String streamId) {
        return client.received().stream().filter(m -> streamId.equals(m.path("stream_id").asText()) && m.has("seq"))
                .collect(Collectors.toList());
    }

    private static boolean ended(WsClient client, String streamId) {
        return eventsOf(client, streamId).stream().anyMatch(m -> {
            String status = m.path("status").asText();
            return "complete".equals(status) || "error".equals(status);
        });
    }

    private static JsonNode answerTo(WsClient client, String requestId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.received().stream()
                .anyMatch(m -> requestId.equals(m.path("request_id").asText())));
        return client.received().stream().filter(m -> requestId.equals(m.path("request_id").asText())).findFirst().orElseThrow();
    }

    private static void assertGapFree(List<JsonNode> events, long from) {
        String all = events.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        for (int i = 0; i < events.size(); i++) {
            assertEquals(from + i, events.get(i).path("seq").asLong(), "seq in order without gaps:\n" + all);
        }
        JsonNode last = events.get(events.size() - 1);
        assertEquals("complete", last.path("status").asText(), all);
        assertEquals(1, events.stream().filter(m -> !"chunk".equals(m.path("status").asText())
                && !"processing".equals(m.path("status").asText())).count(), "one terminal event:\n" + all);
    }

    @Test
    void aClientOnTheOtherReplicaWatchesAStreamMidWayAndGetsEveryEventInOrder() {
        String streamId = "e2e-watch-" + UUID.randomUUID();
        try (WsClient producer = WsClient.connect(first, suite.apiKey()); WsClient watcher = WsClient.connect(second, suite.apiKey())) {
            producer.send(chat("w1", streamId, longText()));
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(producer, streamId).size() >= 5);
            assertTrue(!ended(producer, streamId), "the stream is still running when the watcher joins");

            watcher.send(subscribe("sub", streamId, null));
            assertEquals("subscribed", answerTo(watcher, "sub").path("chunk").path("type").asText());
            await().atMost(Duration.ofSeconds(60)).until(() -> ended(producer, streamId) && ended(watcher, streamId));

            List<JsonNode> produced = eventsOf(producer, streamId);
            List<JsonNode> watched = eventsOf(watcher, streamId);
            assertGapFree(produced, 0);
            assertEquals(produced, watched, "the watcher on the other replica saw exactly the same events");
            assertEquals("stop", produced.get(produced.size() - 1).path("finish_reason").asText());
        }
    }

    @Test
    void aClientThatDropsResumesOnTheOtherReplicaWithExactlyTheMissedEvents() {
        String streamId = "e2e-resume-" + UUID.randomUUID();
        List<JsonNode> before;
        try (WsClient witness = WsClient.connect(first, suite.apiKey())) {
            try (WsClient client = WsClient.connect(first, suite.apiKey())) {
                client.send(chat("r1", streamId, longText()));
                await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(client, streamId).size() >= 11);
                witness.send(subscribe("w", streamId, null));
                before = eventsOf(client, streamId);
            } // dropped mid-stream
            long lastSeen = before.get(before.size() - 1).path("seq").asLong();
            try (WsClient back = WsClient.connect(second, suite.apiKey())) {
                back.send(subscribe("again", streamId, lastSeen));
                assertEquals("subscribed", answerTo(back, "again").path("chunk").path("type").asText());
                await().atMost(Duration.ofSeconds(60)).until(() -> ended(back, streamId) && ended(witness, streamId));
                List<JsonNode> missed = eventsOf(back, streamId);
                List<JsonNode> all = eventsOf(witness, streamId);
                assertGapFree(all, 0);
                assertEquals(all.subList((int) lastSeen + 1, all.size()), missed, "exactly the missed events");
                assertTrue(before.size() + missed.size() == all.size() && missed.get(0).path("seq").asLong() == lastSeen + 1);
            }
        }
    }

    @Test
    void aCancelSentToTheOtherReplicaEndsTheStreamForEveryWatcher() {
        String streamId = "e2e-cancel-" + UUID.randomUUID();
        try (WsClient producer = WsClient.connect(first, suite.apiKey()); WsClient remote = WsClient.connect(second, suite.apiKey())) {
            producer.send(chat("c1", streamId, longText()));
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(producer, streamId).size() >= 3);
            remote.send(subscribe("sub", streamId, null));
            answerTo(remote, "sub");
            remote.send("{\"action\":\"cancel\",\"request_id\":\"stop\",\"payload\":{\"stream_id\":\"" + streamId + "\"}}");
            await().atMost(Duration.ofSeconds(30)).until(() -> ended(producer, streamId) && ended(remote, streamId));
            List<JsonNode> produced = eventsOf(producer, streamId);
            assertGapFree(produced, 0);
            assertEquals("cancelled", produced.get(produced.size() - 1).path("finish_reason").asText());
            assertEquals(produced, eventsOf(remote, streamId));
        }
    }
}
