package dev.hearth.gateway.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.ws.WsTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code devices.watch} over a real WebSocket against a fake zigbee-service speaking real gRPC:
 * a snapshot first, then live events in order with seq and no gaps, filters, one terminal event,
 * zigbee-service going away and coming back, and bad input that leaves the connection working.
 */
@QuarkusTest
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(FakeZigbeeEvents.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class DeviceWatchTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @Inject
    DeviceWatches watches;

    private final List<WsTestClient> clients = new ArrayList<>();

    @BeforeEach
    void startFakes() {
        FakeRouter.ensureStarted(routerPort);
        FakeZigbeeEvents.ensureStarted();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WsTestClient::close);
        await().atMost(WAIT).until(() -> watches.watchers() == 0);
        FakeZigbeeEvents.ensureStarted();
    }

    private WsTestClient client() throws Exception {
        WsTestClient client = WsTestClient.open(base.getPort());
        clients.add(client);
        return client;
    }

    /** Sends devices.watch and checks processing (seq 0) and the snapshot (seq 1); returns the snapshot's devices. */
    private static JsonArray watch(WsTestClient client, String requestId, JsonObject payload) throws Exception {
        client.send("devices.watch", requestId, payload);
        JsonObject processing = client.nextFor(requestId);
        assertThat(processing.getString("status")).as(processing.encode()).isEqualTo("processing");
        assertThat(processing.getLong("seq")).isZero();
        assertThat(processing.getString("stream_id")).startsWith("devices-");
        assertThat(processing.getString("epoch")).isNotBlank();
        JsonObject snapshot = event(client.nextFor(requestId), processing, 1);
        assertThat(snapshot.getString("kind")).isEqualTo("snapshot");
        return snapshot.getJsonObject("payload").getJsonArray("devices");
    }

    /** Asserts a device_event chunk of the watch {@code first} started, at {@code seq}; returns its data. */
    private static JsonObject event(JsonObject message, JsonObject first, long seq) {
        assertThat(message.getString("status")).as(message.encode()).isEqualTo("chunk");
        assertThat(message.getLong("seq")).as(message.encode()).isEqualTo(seq);
        assertThat(message.getString("stream_id")).isEqualTo(first.getString("stream_id"));
        assertThat(message.getString("epoch")).isEqualTo(first.getString("epoch"));
        assertThat(message.getJsonObject("chunk").getString("type")).isEqualTo("device_event");
        return message.getJsonObject("chunk").getJsonObject("data");
    }

    private static List<String> names(JsonArray devices) {
        return devices.stream().map(d -> ((JsonObject) d).getString("name")).toList();
    }

    @Test
    void aWatchStartsWithTheDevicesThenFollowsTheirEventsInOrder() throws Exception {
        WsTestClient all = client();
        JsonArray devices = watch(all, "w1", new JsonObject());
        assertThat(names(devices)).containsExactlyInAnyOrder(FakeZigbeeEvents.LIGHT, FakeZigbeeEvents.LOCK);
        JsonObject light = devices.stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("name").equals(FakeZigbeeEvents.LIGHT)).findFirst().orElseThrow();
        assertThat(light.getJsonObject("state")).isEqualTo(new JsonObject().put("state", "OFF").put("brightness", 0));
        assertThat(light.getString("room")).isEqualTo("kitchen");
        assertThat(light.getBoolean("available")).isTrue();

        WsTestClient kitchenOnly = client();
        assertThat(names(watch(kitchenOnly, "w2", new JsonObject().put("devices", new JsonArray().add("Kitchen_Light")))))
                .containsExactly(FakeZigbeeEvents.LIGHT);
        // One upstream stream serves every watcher of the replica.
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);

        for (int i = 1; i <= 20; i++) {
            FakeZigbeeEvents.emit(FakeZigbeeEvents.LIGHT, "state", "{\"state\":\"ON\",\"brightness\":" + i + "}");
            if (i % 5 == 0) {
                FakeZigbeeEvents.emit(FakeZigbeeEvents.LOCK, "availability", "{\"state\":\"offline\"}");
            }
        }
        FakeZigbeeEvents.emit("", "permit_join", "{\"value\":true,\"time\":60}");

        long seq = 2;
        int brightness = 0;
        int lockEvents = 0;
        JsonObject processing = null;
        for (int received = 0; received < 25; received++) {
            JsonObject message = all.nextFor("w1");
            if (processing == null) {
                processing = new JsonObject().put("stream_id", message.getString("stream_id")).put("epoch", message.getString("epoch"));
            }
            JsonObject data = event(message, processing, seq++);
            if (data.getString("device").equals(FakeZigbeeEvents.LIGHT)) {
                assertThat(data.getString("kind")).isEqualTo("state");
                assertThat(data.getJsonObject("payload").getInteger("brightness")).isEqualTo(++brightness);
                assertThat(data.getLong("at_ms")).isPositive();
            } else if (data.getString("device").equals(FakeZigbeeEvents.LOCK)) {
                assertThat(data.getJsonObject("payload").getString("state")).isEqualTo("offline");
                lockEvents++;
            } else {
                assertThat(data.getString("kind")).isEqualTo("permit_join");
                assertThat(data.getString("device")).isEmpty();
            }
        }
        assertThat(brightness).isEqualTo(20);
        assertThat(lockEvents).isEqualTo(4);

        // The filtered watcher saw only the light, and the bridge's own events.
        List<JsonObject> filtered = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            filtered.add(kitchenOnly.nextFor("w2").getJsonObject("chunk").getJsonObject("data"));
        }
        assertThat(filtered.stream().map(d -> d.getString("device")).distinct()).containsExactly(FakeZigbeeEvents.LIGHT, "");
        assertThat(kitchenOnly.poll(300)).isNull();
    }

    @Test
    void unsubscribeEndsTheWatchWithOneTerminalEventAndTheLastWatcherClosesTheUpstream() throws Exception {
        WsTestClient client = client();
        client.send("devices.watch", "w1", new JsonObject());
        JsonObject processing = client.nextFor("w1");
        client.nextFor("w1"); // the snapshot
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);
        String streamId = processing.getString("stream_id");

        client.send("unsubscribe", "u1", new JsonObject().put("stream_id", streamId));
        JsonObject terminal = client.nextFor("w1");
        assertThat(terminal.getString("status")).isEqualTo("complete");
        assertThat(terminal.getString("finish_reason")).isEqualTo("cancelled");
        assertThat(terminal.getLong("seq")).isEqualTo(2);
        JsonObject reply = client.nextFor("u1");
        assertThat(reply.getJsonObject("chunk").getString("type")).isEqualTo("unsubscribed");
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 0);
        FakeZigbeeEvents.emit(FakeZigbeeEvents.LIGHT, "state", "{\"state\":\"ON\"}");
        assertThat(client.poll(300)).isNull();

        // Watching again is a new stream; `cancel` ends it the same way.
        client.send("devices.watch", "w2", new JsonObject());
        JsonObject again = client.nextFor("w2");
        assertThat(again.getString("stream_id")).isNotEqualTo(streamId);
        client.nextFor("w2");
        client.send("cancel", "c1", new JsonObject().put("stream_id", again.getString("stream_id")));
        assertThat(client.nextFor("w2").getString("finish_reason")).isEqualTo("cancelled");
        // A closed connection's watch goes too.
        WsTestClient other = client();
        watch(other, "w3", new JsonObject());
        assertThat(watches.watchers()).isEqualTo(1);
        other.close();
        await().atMost(WAIT).until(() -> watches.watchers() == 0);
    }

    @Test
    void zigbeeServiceGoingAwayIsReportedAndAFreshSnapshotFollowsItsReturn() throws Exception {
        WsTestClient client = client();
        client.send("devices.watch", "w1", new JsonObject());
        JsonObject processing = client.nextFor("w1");
        event(client.nextFor("w1"), processing, 1);
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);

        FakeZigbeeEvents.shutDown();
        JsonObject down = event(client.nextFor("w1"), processing, 2);
        assertThat(down.getString("kind")).isEqualTo("unavailable");
        assertThat(down.getJsonObject("payload").getString("reason")).contains("zigbee-service cannot be reached");
        // The connection is fine meanwhile.
        client.send("ping", "p1", new JsonObject());
        assertThat(client.nextFor("p1").getString("status")).isEqualTo("pong");

        FakeZigbeeEvents.STATES.put(FakeZigbeeEvents.LIGHT, "{\"state\":\"ON\",\"brightness\":99}");
        FakeZigbeeEvents.ensureStarted();
        // Events may have been missed: the watch goes on (same stream, next seq) from a new snapshot.
        JsonObject snapshot;
        long seq = 3;
        while (true) {
            JsonObject data = event(client.nextFor("w1"), processing, seq++);
            if (data.getString("kind").equals("snapshot")) {
                snapshot = data;
                break;
            }
            assertThat(data.getString("kind")).isEqualTo("unavailable");
        }
        JsonObject light = snapshot.getJsonObject("payload").getJsonArray("devices").stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("name").equals(FakeZigbeeEvents.LIGHT)).findFirst().orElseThrow();
        assertThat(light.getJsonObject("state").getInteger("brightness")).isEqualTo(99);
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);
        FakeZigbeeEvents.emit(FakeZigbeeEvents.LIGHT, "state", "{\"state\":\"OFF\"}");
        JsonObject live = event(client.nextFor("w1"), processing, seq);
        assertThat(live.getJsonObject("payload").getString("state")).isEqualTo("OFF");
        FakeZigbeeEvents.STATES.put(FakeZigbeeEvents.LIGHT, "{\"state\":\"OFF\",\"brightness\":0}");
    }

    @Test
    void aWatcherJoiningAsZigbeeServiceReturnsLeavesEarlierWatchersWithAFreshSnapshotToo() throws Exception {
        WsTestClient first = client();
        first.send("devices.watch", "w1", new JsonObject());
        JsonObject processing = first.nextFor("w1");
        event(first.nextFor("w1"), processing, 1);
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);
        FakeZigbeeEvents.shutDown();
        assertThat(event(first.nextFor("w1"), processing, 2).getString("kind")).isEqualTo("unavailable");

        // Back, and a second client watches at once: whether it or the backoff re-opens the
        // upstream stream, the first watcher missed events and gets a new snapshot.
        FakeZigbeeEvents.ensureStarted();
        assertThat(names(watch(client(), "w2", new JsonObject()))).hasSize(2);
        long seq = 3;
        while (true) {
            JsonObject data = event(first.nextFor("w1"), processing, seq++);
            if (data.getString("kind").equals("snapshot")) {
                break;
            }
            assertThat(data.getString("kind")).isEqualTo("unavailable");
        }
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);
    }

    @Test
    void badWatchRequestsAreRefusedAndTheConnectionCarriesOn() throws Exception {
        WsTestClient client = client();
        String[][] refused = {
            {"{\"action\":\"devices.watch\",\"request_id\":\"b1\",\"payload\":{\"devices\":\"kitchen_light\"}}", "b1"},
            {"{\"action\":\"devices.watch\",\"request_id\":\"b2\",\"payload\":{\"devices\":[1,2]}}", "b2"},
            {"{\"action\":\"devices.watch\",\"request_id\":\"b3\",\"payload\":{\"devices\":[\"  \"]}}", "b3"},
        };
        for (String[] bad : refused) {
            client.send(bad[0]);
            JsonObject error = client.nextFor(bad[1]);
            assertThat(error.getString("status")).isEqualTo("error");
            assertThat(error.getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            assertThat(error.getJsonObject("error").getString("message")).contains("payload.devices");
        }
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 257; i++) {
            tooMany.add("device-" + i);
        }
        client.send("devices.watch", "b4", new JsonObject().put("devices", tooMany));
        assertThat(client.nextFor("b4").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
        assertThat(watches.watchers()).isZero();

        watch(client, "w1", new JsonObject());
        client.send("devices.watch", "w2", new JsonObject());
        JsonObject twice = client.nextFor("w2");
        assertThat(twice.getJsonObject("error").getString("code")).isEqualTo("invalid_message");
        assertThat(twice.getJsonObject("error").getString("message")).contains("already watches devices");
        client.send("unsubscribe", "u1", new JsonObject().put("stream_id", "devices-not-mine"));
        assertThat(client.nextFor("u1").getJsonObject("error").getString("code")).isEqualTo("stream_not_found");

        // The first watch and the connection are untouched: events still arrive, a chat still streams.
        await().atMost(WAIT).until(() -> FakeZigbeeEvents.watchers() == 1);
        FakeZigbeeEvents.emit(FakeZigbeeEvents.LOCK, "state", "{\"state\":\"UNLOCK\"}");
        JsonObject event = client.nextFor("w1");
        assertThat(event.getLong("seq")).isEqualTo(2);
        assertThat(event.getJsonObject("chunk").getJsonObject("data").getString("device")).isEqualTo(FakeZigbeeEvents.LOCK);
        client.send("chat", "c1", new JsonObject().put("text", "Hello"));
        List<JsonObject> chat = client.streamOf("c1");
        assertThat(chat.get(chat.size() - 1).getString("status")).isEqualTo("complete");
    }
}
