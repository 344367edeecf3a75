package dev.hearth.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.redis.GatewayKeys;
import dev.hearth.gateway.ws.WsTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many watchers per stream, resume after a disconnect, and watching streams that run on another
 * replica (played here by writing to the real Redis exactly as a gateway replica does).
 */
@QuarkusTest
@io.quarkus.test.junit.TestProfile(StreamFanoutTest.OwnApp.class)
@QuarkusTestResource(value = FakeRouter.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = dev.hearth.infra.testing.RedisTestResource.class, restrictToAnnotatedClass = true)
class StreamFanoutTest {

    /** An application of its own: these tests play another replica in Redis, which the others need not see. */
    public static class OwnApp implements io.quarkus.test.junit.QuarkusTestProfile {
    }

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @Inject
    Redis redis;

    @Inject
    GatewayKeys keys;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @ConfigProperty(name = "hearth.redis.url")
    String redisUrl;

    @BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    private WsTestClient client() throws Exception {
        return WsTestClient.open(base.getPort());
    }

    private static JsonObject chat(String text, String streamId) {
        JsonObject payload = new JsonObject().put("text", text);
        if (streamId != null) {
            payload.put("stream_id", streamId);
        }
        return payload;
    }

    private static JsonObject subscribe(String streamId, Long afterSeq) {
        JsonObject payload = new JsonObject().put("stream_id", streamId);
        if (afterSeq != null) {
            payload.put("after_seq", afterSeq);
        }
        return payload;
    }

    private static String newStreamId() {
        return "t-" + UUID.randomUUID();
    }

    /** Reads {@code client}'s events of the stream started by {@code requestId} until seq {@code upTo}. */
    private static List<JsonObject> readUntil(WsTestClient client, String requestId, long upTo) throws InterruptedException {
        List<JsonObject> events = new ArrayList<>();
        while (true) {
            JsonObject event = client.nextFor(requestId);
            events.add(event);
            if (event.getLong("seq") >= upTo) {
                return events;
            }
        }
    }

    private static void assertSeqs(List<JsonObject> events, long from) {
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getLong("seq")).as("event %d", i).isEqualTo(from + i);
        }
        assertThat(events.get(events.size() - 1).getString("status")).isIn("complete", "error");
    }

    @Test
    void everyWatcherGetsEveryEventInOrderAndTheSameOneTerminal() throws Exception {
        String streamId = newStreamId();
        try (WsTestClient starter = client(); WsTestClient late = client(); WsTestClient resumer = client()) {
            starter.send("chat", "c1", chat("steady:30:20", streamId));
            List<JsonObject> first = readUntil(starter, "c1", 6);

            late.send("subscribe", "sub-late", subscribe(streamId, null));
            JsonObject ack = late.nextFor("sub-late");
            assertThat(ack.getJsonObject("chunk").getString("type")).isEqualTo("subscribed");
            assertThat(ack.getJsonObject("chunk").getJsonObject("data").getString("stream_id")).isEqualTo(streamId);
            resumer.send("subscribe", "sub-5", subscribe(streamId, 5L));
            assertThat(resumer.nextFor("sub-5").getString("status")).isEqualTo("complete");

            List<JsonObject> all = new ArrayList<>(first);
            all.addAll(starter.streamOf("c1"));
            List<JsonObject> watched = late.streamOf("c1");
            List<JsonObject> resumed = resumer.streamOf("c1");

            assertSeqs(all, 0);
            assertThat(all).hasSize(32); // processing, 30 chunks, complete
            assertThat(watched).isEqualTo(all);
            assertThat(resumed).isEqualTo(all.subList(6, all.size()));
            assertThat(all.get(all.size() - 1).getString("finish_reason")).isEqualTo("stop");
        }
    }

    @Test
    void anyWatcherMayCancelAndEveryWatcherGetsTheCancelledTerminal() throws Exception {
        String streamId = newStreamId();
        int cancelledBefore = FakeRouter.CANCELLED.get();
        try (WsTestClient starter = client(); WsTestClient watcher = client()) {
            starter.send("chat", "c1", chat("slow", streamId));
            readUntil(starter, "c1", 2);
            watcher.send("subscribe", "s1", subscribe(streamId, 1L));
            watcher.nextFor("s1");
            watcher.send("cancel", "x1", new JsonObject().put("stream_id", streamId));

            List<JsonObject> starterRest = starter.streamOf("c1");
            List<JsonObject> watcherRest = watcher.streamOf("c1");
            JsonObject terminal = starterRest.get(starterRest.size() - 1);
            assertThat(terminal.getString("finish_reason")).isEqualTo("cancelled");
            assertThat(watcherRest.get(watcherRest.size() - 1)).isEqualTo(terminal);
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.CANCELLED.get() > cancelledBefore);
        }
    }

    @Test
    void unsubscribingLeavesTheStreamGoingForTheOthers() throws Exception {
        String streamId = newStreamId();
        try (WsTestClient starter = client(); WsTestClient watcher = client()) {
            starter.send("chat", "c1", chat("steady:20:20", streamId));
            readUntil(starter, "c1", 1);
            watcher.send("subscribe", "s1", subscribe(streamId, null));
            watcher.nextFor("s1");
            watcher.send("unsubscribe", "u1", new JsonObject().put("stream_id", streamId));
            JsonObject left = watcher.nextFor("u1");
            assertThat(left.getJsonObject("chunk").getString("type")).isEqualTo("unsubscribed");

            List<JsonObject> rest = starter.streamOf("c1");
            assertThat(rest.get(rest.size() - 1).getString("finish_reason")).isEqualTo("stop");
            // Whatever the watcher got, none of it came after it left, and it never got the terminal.
            JsonObject message;
            while ((message = watcher.poll(300)) != null) {
                assertThat(message.getString("status")).isNotIn("complete", "error");
            }
            watcher.send("unsubscribe", "u2", new JsonObject().put("stream_id", streamId));
            assertThat(watcher.nextFor("u2").getJsonObject("error").getString("code")).isEqualTo("stream_not_found");
        }
    }

    @Test
    void aClientThatDropsResumesWithExactlyTheEventsItMissed() throws Exception {
        String streamId = newStreamId();
        int cancelledBefore = FakeRouter.CANCELLED.get();
        List<JsonObject> seen;
        try (WsTestClient witness = client()) {
            try (WsTestClient starter = client()) {
                starter.send("chat", "c1", chat("steady:40:20", streamId));
                seen = readUntil(starter, "c1", 10);
                witness.send("subscribe", "w", subscribe(streamId, null));
            } // the starter's connection drops mid-stream; the stream goes on
            List<JsonObject> all = witness.streamOf("c1");
            try (WsTestClient back = client()) {
                back.send("subscribe", "again", subscribe(streamId, 10L));
                assertThat(back.nextFor("again").getJsonObject("chunk").getString("type")).isEqualTo("subscribed");
                List<JsonObject> missed = back.streamOf("c1");
                assertThat(missed).isEqualTo(all.subList(11, all.size()));
                List<JsonObject> joined = new ArrayList<>(seen);
                joined.addAll(missed);
                assertThat(joined).isEqualTo(all);
            }
            assertThat(all.get(all.size() - 1).getString("finish_reason")).isEqualTo("stop");
            assertThat(FakeRouter.CANCELLED.get()).as("the generation was not cancelled").isEqualTo(cancelledBefore);
        }
    }

    @Test
    void aFinishedStreamIsResumedFromRedis() throws Exception {
        String streamId = newStreamId();
        List<JsonObject> all;
        try (WsTestClient starter = client()) {
            starter.send("chat", "c1", chat("hello", streamId));
            all = starter.streamOf("c1");
        }
        try (WsTestClient back = client()) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                back.send("subscribe", "r", subscribe(streamId, 2L));
                JsonObject reply = back.nextFor("r");
                assertThat(reply.getString("status")).isEqualTo("complete");
            });
            assertThat(back.streamOf("c1")).isEqualTo(all.subList(3, all.size()));

            back.send("subscribe", "ahead", subscribe(streamId, 999L));
            assertThat(back.nextFor("ahead").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            back.send("subscribe", "other-epoch", subscribe(streamId, 2L).put("epoch", "not-its-epoch"));
            assertThat(back.nextFor("other-epoch").getJsonObject("error").getString("code")).isEqualTo("stream_gap");
        }
    }

    @Test
    void badSubscriptionsGetTheirCodesAndTheConnectionGoesOn() throws Exception {
        String streamId = newStreamId();
        try (WsTestClient client = client()) {
            client.send("subscribe", "unknown", subscribe("no-such-stream-" + UUID.randomUUID(), null));
            assertThat(client.nextFor("unknown").getJsonObject("error").getString("code")).isEqualTo("stream_not_found");

            client.send("chat", "c1", chat("steady:20:20", streamId));
            readUntil(client, "c1", 2);
            client.send("subscribe", "future", subscribe(streamId, 500L));
            assertThat(client.nextFor("future").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send("subscribe", "typed", new JsonObject().put("stream_id", streamId).put("after_seq", "three"));
            assertThat(client.nextFor("typed").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send("subscribe", "negative", subscribe(streamId, -5L));
            assertThat(client.nextFor("negative").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send("subscribe", "no-id", new JsonObject());
            assertThat(client.nextFor("no-id").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send("cancel", "gone", new JsonObject().put("stream_id", "no-such-stream-" + UUID.randomUUID()));
            assertThat(client.nextFor("gone").getJsonObject("error").getString("code")).isEqualTo("stream_not_found");

            List<JsonObject> rest = client.streamOf("c1");
            assertThat(rest.get(rest.size() - 1).getString("finish_reason")).isEqualTo("stop");
            client.send("ping", "p", new JsonObject());
            assertThat(client.nextFor("p").getString("status")).isEqualTo("pong");
        }
    }

    // --- another replica's stream, written to Redis the way a replica writes it ---

    private void otherReplicaStarts(String streamId, String owner, boolean shared) {
        otherReplicaStarts(streamId, owner, shared, "gw-other");
        // The other replica is alive: it holds its lease.
        redis.send(Request.cmd(Command.SET).arg(keys.replicaLease("gw-other")).arg("1").arg("PX").arg(120_000))
                .await().atMost(Duration.ofSeconds(5));
    }

    private void otherReplicaStarts(String streamId, String owner, boolean shared, String replica) {
        redis.send(Request.cmd(Command.HSET).arg(keys.streamMeta(streamId)).arg("owner").arg(owner)
                .arg("shared").arg(shared ? "1" : "0").arg("epoch").arg("e-other").arg("request_id").arg("r-other")
                .arg("replica").arg(replica).arg("state").arg("running").arg("last_seq").arg(-1))
                .await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void aStreamWhoseReplicaDiedEndsAsIncompleteForItsWatchers() throws Exception {
        String streamId = newStreamId();
        otherReplicaStarts(streamId, "alice", false, "gw-crashed"); // no lease: that replica is gone
        otherReplicaEmits(streamId, 0, false, true);
        otherReplicaEmits(streamId, 1, false, true);
        try (WsTestClient first = client(); WsTestClient second = client()) {
            first.send("subscribe", "a", subscribe(streamId, null));
            first.nextFor("a");
            second.send("subscribe", "b", subscribe(streamId, 0L));
            second.nextFor("b");
            List<JsonObject> seenByFirst = first.streamOf("r-other");
            List<JsonObject> seenBySecond = second.streamOf("r-other");
            assertSeqs(seenByFirst, 0);
            assertThat(seenByFirst).hasSize(3);
            JsonObject terminal = seenByFirst.get(2);
            assertThat(terminal.getString("finish_reason")).isEqualTo("incomplete");
            assertThat(terminal.getString("epoch")).isEqualTo("e-other");
            assertThat(seenBySecond).isEqualTo(seenByFirst.subList(1, 3));
        }
    }

    private void otherReplicaEmits(String streamId, long seq, boolean terminal, boolean publish) {
        String json = new JsonObject().put("request_id", "r-other").put("stream_id", streamId).put("epoch", "e-other")
                .put("seq", seq).put("status", terminal ? "complete" : "chunk")
                .put(terminal ? "finish_reason" : "chunk", terminal ? "stop" : new JsonObject().put("type", "text").put("data", "w" + seq))
                .encode();
        Request xadd = Request.cmd(Command.XADD).arg(keys.streamEvents(streamId)).arg("0-" + (seq + 1)).arg("e").arg(json);
        if (terminal) {
            xadd.arg("t").arg("1");
        }
        List<Request> batch = new ArrayList<>(List.of(xadd,
                Request.cmd(Command.HSET).arg(keys.streamMeta(streamId)).arg("last_seq").arg(seq)));
        if (terminal) {
            batch.add(Request.cmd(Command.HSET).arg(keys.streamMeta(streamId)).arg("state").arg("ended"));
        }
        if (publish) {
            batch.add(Request.cmd(Command.PUBLISH).arg(keys.streamChannel(streamId))
                    .arg(new StreamEvent(seq, json, terminal).wire()));
        }
        redis.batch(batch).await().atMost(Duration.ofSeconds(5));
    }

    /** An audio event with its binary frame, written as a replica writes it (the frame in the entry's "b" field). */
    private void otherReplicaEmitsAudio(String streamId, long seq, byte[] audio, boolean publish) {
        String json = new JsonObject().put("request_id", "r-other").put("stream_id", streamId).put("epoch", "e-other")
                .put("seq", seq).put("status", "chunk").put("chunk", new JsonObject().put("type", "audio")
                        .put("data", new JsonObject().put("codec", "pcm_s16le").put("bytes", audio.length).put("replay", true)))
                .encode();
        byte[] frame = AudioFrame.encode(streamId, seq, audio);
        List<Request> batch = new ArrayList<>(List.of(
                Request.cmd(Command.XADD).arg(keys.streamEvents(streamId)).arg("0-" + (seq + 1)).arg("e").arg(json).arg("b").arg(frame),
                Request.cmd(Command.HSET).arg(keys.streamMeta(streamId)).arg("last_seq").arg(seq)));
        if (publish) {
            batch.add(Request.cmd(Command.PUBLISH).arg(keys.streamChannel(streamId))
                    .arg(new StreamEvent(seq, json, false, frame, true).wire()));
        }
        redis.batch(batch).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void audioOfAStreamOnAnotherReplicaReachesWatchersHereWithItsFramesLiveAndFromHistory() throws Exception {
        String streamId = newStreamId();
        otherReplicaStarts(streamId, "alice", false);
        otherReplicaEmits(streamId, 0, false, true);
        otherReplicaEmitsAudio(streamId, 1, new byte[] {1, 2, 3}, true); // in history before the watch
        try (WsTestClient watcher = client()) {
            watcher.send("subscribe", "s", subscribe(streamId, null));
            watcher.nextFor("s");
            otherReplicaEmitsAudio(streamId, 2, new byte[] {4, 5, 6, 7, 8}, true); // live on Pub/Sub
            otherReplicaEmitsAudio(streamId, 3, new byte[] {9}, false); // lost on Pub/Sub: from Redis
            otherReplicaEmits(streamId, 4, true, true);
            List<JsonObject> seen = new ArrayList<>();
            JsonObject message;
            do {
                message = watcher.nextMatching(m -> "r-other".equals(m.getString("request_id"))
                        || WsTestClient.BINARY.equals(m.getString("request_id")));
                seen.add(message);
            } while (!"complete".equals(message.getString("status")));
            List<String> kinds = seen.stream().map(m -> m.containsKey("binary") ? "frame:" + WsTestClient.binary(m).length
                    : m.getLong("seq") + ":" + (m.getJsonObject("chunk") == null ? m.getString("status")
                            : m.getJsonObject("chunk").getString("type"))).toList();
            int header = AudioFrame.headerLength(streamId);
            assertThat(kinds).containsExactly("0:text", "1:audio", "frame:" + (header + 3), "2:audio", "frame:" + (header + 5),
                    "3:audio", "frame:" + (header + 1), "4:complete");
            assertThat(WsTestClient.binary(seen.get(4))).isEqualTo(AudioFrame.encode(streamId, 2, new byte[] {4, 5, 6, 7, 8}));
        }
    }

    @Test
    void watchesAStreamRunningOnAnotherReplicaThroughLostMessagesToItsEnd() throws Exception {
        String streamId = newStreamId();
        otherReplicaStarts(streamId, "alice", false);
        for (long seq = 0; seq < 5; seq++) {
            otherReplicaEmits(streamId, seq, false, true);
        }
        try (WsTestClient watcher = client()) {
            watcher.send("subscribe", "s", subscribe(streamId, 1L));
            JsonObject ack = watcher.nextFor("s");
            assertThat(ack.getJsonObject("chunk").getJsonObject("data").getString("epoch")).isEqualTo("e-other");
            for (long seq = 2; seq < 5; seq++) {
                assertThat(watcher.nextFor("r-other").getLong("seq")).isEqualTo(seq);
            }
            otherReplicaEmits(streamId, 5, false, true);
            otherReplicaEmits(streamId, 6, false, false); // lost on Pub/Sub: filled from Redis
            otherReplicaEmits(streamId, 7, false, true);
            otherReplicaEmits(streamId, 8, true, false); // the terminal lost too: found by the silence poll
            List<JsonObject> rest = watcher.streamOf("r-other");
            assertSeqs(rest, 5);
            assertThat(rest).hasSize(4);
            assertThat(rest.get(3).getString("finish_reason")).isEqualTo("stop");
        }
    }

    @Test
    void anotherUsersStreamMayBeWatchedOnlyWhenShared() throws Exception {
        String privateStream = newStreamId();
        String sharedStream = newStreamId();
        otherReplicaStarts(privateStream, "someone-else", false);
        otherReplicaStarts(sharedStream, "someone-else", true);
        otherReplicaEmits(sharedStream, 0, false, true);
        try (WsTestClient client = client()) {
            client.send("subscribe", "p", subscribe(privateStream, null));
            assertThat(client.nextFor("p").getJsonObject("error").getString("code")).isEqualTo("forbidden");
            client.send("subscribe", "s", subscribe(sharedStream, null));
            assertThat(client.nextFor("s").getJsonObject("chunk").getString("type")).isEqualTo("subscribed");
            assertThat(client.nextFor("r-other").getLong("seq")).isEqualTo(0);
            client.send("cancel", "x", new JsonObject().put("stream_id", sharedStream));
            assertThat(client.nextFor("x").getJsonObject("error").getString("code")).isEqualTo("forbidden");
        }
    }

    @Test
    void cancellingAStreamOfAnotherReplicaAsksThatReplica() throws Exception {
        String streamId = newStreamId();
        otherReplicaStarts(streamId, "alice", false);
        LinkedBlockingQueue<String> control = new LinkedBlockingQueue<>();
        // A client of its own: a subscribed connection must not go back into the application's pool.
        Redis own = Redis.createClient(vertx, redisUrl);
        io.vertx.mutiny.redis.client.RedisConnection listener = own.connect().await().atMost(Duration.ofSeconds(5));
        try {
            listener.handler(message -> {
                if (message.size() == 3 && "message".equals(message.get(0).toString())) {
                    control.add(message.get(2).toString());
                }
            });
            listener.send(Request.cmd(Command.SUBSCRIBE).arg(keys.streamControlChannel())).await().atMost(Duration.ofSeconds(5));
            try (WsTestClient client = client()) {
                client.send("cancel", "x", new JsonObject().put("stream_id", streamId));
                assertThat(control.poll(5, TimeUnit.SECONDS)).isEqualTo("cancel:" + streamId);
            }
        } finally {
            listener.closeAndAwait();
            own.close();
        }
    }
}
