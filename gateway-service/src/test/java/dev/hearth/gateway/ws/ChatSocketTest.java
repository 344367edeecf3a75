package dev.hearth.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class ChatSocketTest {

    @TestHTTPResource("/")
    URL base;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @org.junit.jupiter.api.BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    private WsTestClient connect() throws Exception {
        WsTestClient client = WsTestClient.connect(base.getPort());
        JsonObject welcome = client.next();
        assertThat(welcome.getString("request_id")).isEqualTo("welcome");
        return client;
    }

    private static String chat(String requestId, String text) {
        return new JsonObject().put("action", "chat").put("request_id", requestId)
                .put("payload", new JsonObject().put("text", text)).encode();
    }

    /** Asserts seq 0..n-1 without gaps, one stream id and epoch, processing first, one terminal last. */
    private static void assertWellFormed(List<JsonObject> events) {
        String streamId = events.get(0).getString("stream_id");
        String epoch = events.get(0).getString("epoch");
        assertThat(streamId).isNotBlank();
        assertThat(epoch).isNotBlank();
        assertThat(events.get(0).getString("status")).isEqualTo("processing");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getLong("seq")).as("seq of event %d", i).isEqualTo(i);
            assertThat(events.get(i).getString("stream_id")).isEqualTo(streamId);
            assertThat(events.get(i).getString("epoch")).isEqualTo(epoch);
        }
        for (int i = 1; i < events.size() - 1; i++) {
            assertThat(events.get(i).getString("status")).isEqualTo("chunk");
        }
    }

    @Test
    void welcomesWithProtocolAndLimits() throws Exception {
        try (WsTestClient client = WsTestClient.connect(base.getPort())) {
            JsonObject welcome = client.next();
            assertThat(welcome.getString("status")).isEqualTo("complete");
            JsonObject chunk = welcome.getJsonObject("chunk");
            assertThat(chunk.getString("type")).isEqualTo("welcome");
            assertThat(chunk.getJsonObject("data").getString("protocol")).isEqualTo("hearth.v1");
            assertThat(chunk.getJsonObject("data").getString("connection_id")).isNotBlank();
            assertThat(chunk.getJsonObject("data").getJsonObject("limits").getInteger("max_message_size")).isEqualTo(65536);
        }
    }

    @Test
    void streamsAChatInOrderAndEndsWithOneTerminalEvent() throws Exception {
        try (WsTestClient client = connect()) {
            client.send(chat("r1", "Hello"));
            List<JsonObject> events = client.streamOf("r1");
            assertWellFormed(events);
            StringBuilder text = new StringBuilder();
            events.subList(1, events.size() - 1).forEach(e -> {
                assertThat(e.getJsonObject("chunk").getString("type")).isEqualTo("text");
                text.append(e.getJsonObject("chunk").getString("data"));
            });
            assertThat(text).as("events %s", events).hasToString(String.join("", FakeRouter.GREETING));
            JsonObject complete = events.get(events.size() - 1);
            assertThat(complete.getString("status")).isEqualTo("complete");
            assertThat(complete.getString("finish_reason")).isEqualTo("stop");
            assertThat(complete.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(3);
            assertThat(complete.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5);
            assertThat(complete.getString("provider")).isEqualTo("fake");
            assertThat(complete.getString("model")).isEqualTo("fake-1");
            assertThat(complete.getString("conversation_id")).isEqualTo("conv-1");
        }
    }

    @Test
    void passesProfileAndConversationToTheRouter() throws Exception {
        try (WsTestClient client = connect()) {
            client.send(new JsonObject().put("action", "chat").put("request_id", "rp")
                    .put("payload", new JsonObject().put("text", "remember me").put("profile", "demo")
                            .put("conversation_id", "c-42")).encode());
            client.streamOf("rp");
            assertThat(FakeRouter.REQUESTS).anySatisfy(request -> {
                assertThat(request.getText()).isEqualTo("remember me");
                assertThat(request.getProfile()).isEqualTo("demo");
                assertThat(request.getConversationId()).isEqualTo("c-42");
                assertThat(request.getRequestId()).isEqualTo("rp");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                    | hello there                                                   | invalid_message |",
        "JSON but not an object      | [1,2,3]                                                       | invalid_message |",
        "missing action              | {\"request_id\":\"b1\"}                                       | invalid_message | b1",
        "ill-typed action            | {\"action\":5,\"request_id\":\"b2\"}                          | invalid_message | b2",
        "missing request_id          | {\"action\":\"ping\"}                                         | invalid_message |",
        "payload not an object       | {\"action\":\"chat\",\"request_id\":\"b3\",\"payload\":\"hi\"} | invalid_message | b3",
        "unknown action              | {\"action\":\"dance\",\"request_id\":\"b4\"}                  | unknown_action  | b4",
        "empty chat text             | {\"action\":\"chat\",\"request_id\":\"b5\",\"payload\":{\"text\":\"  \"}} | invalid_message | b5",
        "missing chat text           | {\"action\":\"chat\",\"request_id\":\"b6\",\"payload\":{}}    | invalid_message | b6",
        "ill-typed chat text         | {\"action\":\"chat\",\"request_id\":\"b7\",\"payload\":{\"text\":7}} | invalid_message | b7",
        "ill-typed profile           | {\"action\":\"chat\",\"request_id\":\"b8\",\"payload\":{\"text\":\"x\",\"profile\":[]}} | invalid_message | b8",
        "bad stream id               | {\"action\":\"chat\",\"request_id\":\"b9\",\"payload\":{\"text\":\"x\",\"stream_id\":\"a b\"}} | invalid_message | b9",
        "cancel of an unknown stream | {\"action\":\"cancel\",\"request_id\":\"b10\",\"payload\":{\"stream_id\":\"s-none\"}} | stream_not_found | b10",
    })
    void badInputGetsItsCodeAndTheConnectionAndOtherStreamsGoOn(String what, String message, String code,
            String requestId) throws Exception {
        try (WsTestClient client = connect()) {
            client.send(chat("running", "slow"));
            JsonObject processing = client.nextFor("running");
            assertThat(processing.getString("status")).isEqualTo("processing");

            client.send(message);
            JsonObject error = client.nextFor(requestId);
            assertThat(error.getString("status")).isEqualTo("error");
            assertThat(error.getJsonObject("error").getString("code")).isEqualTo(code);
            assertThat(error.getJsonObject("error").getString("message")).isNotBlank();
            assertThat(error.containsKey("stream_id")).isFalse();

            // The connection answers, and the running stream goes on from where it was, gap-free.
            client.send("{\"action\":\"ping\",\"request_id\":\"after\"}");
            assertThat(client.nextFor("after").getString("status")).isEqualTo("pong");
            client.send(new JsonObject().put("action", "cancel").put("request_id", "stop")
                    .put("payload", new JsonObject().put("stream_id", processing.getString("stream_id"))).encode());
            List<JsonObject> rest = new ArrayList<>(List.of(processing));
            rest.addAll(client.streamOf("running"));
            assertWellFormed(rest);
            assertThat(rest.get(rest.size() - 1).getString("finish_reason")).isEqualTo("cancelled");
        }
    }

    @Test
    void aFloodPastTheKeysRateIsRefusedWithRetryAfterAndTheConnectionStays() throws Exception {
        dev.hearth.gateway.FakeAuth.Key key = dev.hearth.gateway.FakeAuth.newKey(java.util.Set.of("chat"), 3, 0, 0, 0);
        try (WsTestClient client = WsTestClient.open(base.getPort(), key.secret());
                WsTestClient other = WsTestClient.open(base.getPort(), dev.hearth.gateway.FakeRouter.BOB)) {
            for (int i = 0; i < 3; i++) {
                client.send("ping", "p" + i, new JsonObject());
                assertThat(client.nextFor("p" + i).getString("status")).isEqualTo("pong");
            }
            client.send(chat("over", "Hello"));
            JsonObject refused = client.nextFor("over");
            assertThat(refused.getString("status")).isEqualTo("error");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            assertThat(refused.getJsonObject("error").getLong("retry_after_ms")).isPositive();
            // Nothing was started, the connection is open, and other keys are not affected.
            assertThat(refused.getString("stream_id")).isNull();
            assertThat(client.closeStatus).isNotDone();
            other.send(chat("fine", "Hello"));
            List<JsonObject> events = other.streamOf("fine");
            assertThat(events.get(events.size() - 1).getString("finish_reason")).isEqualTo("stop");
            assertThat(client.closeStatus).isNotDone();
        }
    }

    @Test
    void aFrameOverTheHardLimitClosesTheConnectionWith1009() throws Exception {
        try (WsTestClient client = connect()) {
            client.send("{\"action\":\"ping\",\"request_id\":\"" + "x".repeat(1_200_000) + "\"}");
            assertThat(client.closeStatus.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1009);
        }
    }

    @Test
    void oversizeMessageIsRefusedAndTheConnectionStays() throws Exception {
        try (WsTestClient client = connect()) {
            client.send(chat("big", "x".repeat(70_000)));
            JsonObject error = client.nextFor("big");
            assertThat(error.getJsonObject("error").getString("code")).isEqualTo("message_too_large");
            client.send("{\"action\":\"ping\",\"request_id\":\"p\"}");
            assertThat(client.nextFor("p").getString("status")).isEqualTo("pong");
        }
    }

    @Test
    void audioWithoutAVoiceTurnIsAnError() throws Exception {
        try (WsTestClient client = connect()) {
            client.sendBinary(new byte[640]);
            JsonObject error = client.next();
            assertThat(error.getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send("{\"action\":\"ping\",\"request_id\":\"p\"}");
            assertThat(client.nextFor("p").getString("status")).isEqualTo("pong");
        }
    }

    @Test
    void cancelStopsTheGenerationAndEndsTheStreamOnce() throws Exception {
        try (WsTestClient client = connect()) {
            int cancelledBefore = FakeRouter.CANCELLED.get();
            client.send(chat("c1", "slow"));
            JsonObject processing = client.nextFor("c1");
            client.nextFor("c1"); // a first chunk: the generation is running
            client.send(new JsonObject().put("action", "cancel").put("request_id", "c2")
                    .put("payload", new JsonObject().put("stream_id", processing.getString("stream_id"))).encode());
            List<JsonObject> events = new ArrayList<>(List.of(processing));
            events.addAll(client.streamOf("c1"));
            JsonObject terminal = events.get(events.size() - 1);
            assertThat(terminal.getString("status")).isEqualTo("complete");
            assertThat(terminal.getString("finish_reason")).isEqualTo("cancelled");
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.CANCELLED.get() > cancelledBefore);
            // Nothing of that stream after its terminal event.
            client.send("{\"action\":\"ping\",\"request_id\":\"p\"}");
            JsonObject next = client.next();
            assertThat(next.getString("request_id")).isEqualTo("p");
        }
    }

    @Test
    void anotherUserMayNotCancelAStreamButTheOwnersOtherDevicesMay() throws Exception {
        try (WsTestClient owner = connect(); WsTestClient stranger = WsTestClient.open(base.getPort(), dev.hearth.gateway.FakeRouter.BOB);
                WsTestClient phone = WsTestClient.open(base.getPort(), dev.hearth.gateway.FakeRouter.ALICE_PHONE)) {
            owner.send(chat("mine", "slow"));
            JsonObject processing = owner.nextFor("mine");
            String streamId = processing.getString("stream_id");
            stranger.send(new JsonObject().put("action", "cancel").put("request_id", "nope")
                    .put("payload", new JsonObject().put("stream_id", streamId)).encode());
            JsonObject refused = stranger.nextFor("nope");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("forbidden");
            stranger.send(new JsonObject().put("action", "subscribe").put("request_id", "peek")
                    .put("payload", new JsonObject().put("stream_id", streamId)).encode());
            assertThat(stranger.nextFor("peek").getJsonObject("error").getString("code")).isEqualTo("forbidden");

            // Still running for its owner: more chunks arrive, then the owner's phone (another key of
            // the same user) cancels it.
            assertThat(owner.nextFor("mine").getString("status")).isEqualTo("chunk");
            phone.send(new JsonObject().put("action", "cancel").put("request_id", "from-phone")
                    .put("payload", new JsonObject().put("stream_id", streamId)).encode());
            List<JsonObject> events = owner.streamOf("mine");
            assertThat(events.get(events.size() - 1).getString("finish_reason")).isEqualTo("cancelled");
        }
    }

    @Test
    void aSharedStreamMayBeWatchedByAnyoneButCancelledOnlyByItsOwnerOrAnAdmin() throws Exception {
        try (WsTestClient owner = connect(); WsTestClient guest = WsTestClient.open(base.getPort(), dev.hearth.gateway.FakeRouter.BOB);
                WsTestClient admin = WsTestClient.open(base.getPort(), dev.hearth.gateway.FakeRouter.ADMIN)) {
            owner.send(new JsonObject().put("action", "chat").put("request_id", "shared")
                    .put("payload", new JsonObject().put("text", "slow").put("share", true)).encode());
            String streamId = owner.nextFor("shared").getString("stream_id");
            guest.send(new JsonObject().put("action", "subscribe").put("request_id", "watch")
                    .put("payload", new JsonObject().put("stream_id", streamId)).encode());
            assertThat(guest.nextFor("watch").getJsonObject("chunk").getString("type")).isEqualTo("subscribed");
            assertThat(guest.nextFor("shared").getLong("seq")).isZero();
            guest.send(new JsonObject().put("action", "cancel").put("request_id", "stop")
                    .put("payload", new JsonObject().put("stream_id", streamId)).encode());
            assertThat(guest.nextFor("stop").getJsonObject("error").getString("code")).isEqualTo("forbidden");
            admin.send(new JsonObject().put("action", "cancel").put("request_id", "admin-stop")
                    .put("payload", new JsonObject().put("stream_id", streamId)).encode());
            List<JsonObject> watched = guest.streamOf("shared");
            List<JsonObject> owned = owner.streamOf("shared");
            assertThat(watched.get(watched.size() - 1).getString("finish_reason")).isEqualTo("cancelled");
            assertThat(owned.get(owned.size() - 1)).isEqualTo(watched.get(watched.size() - 1));
        }
    }

    @Test
    void concurrentStreamsOnOneConnectionAreEachGapFree() throws Exception {
        try (WsTestClient client = connect()) {
            for (int i = 0; i < 5; i++) {
                client.send(chat("m" + i, "Hello " + i));
            }
            java.util.Map<String, List<JsonObject>> byRequest = new java.util.HashMap<>();
            int terminals = 0;
            while (terminals < 5) {
                JsonObject message = client.next();
                byRequest.computeIfAbsent(message.getString("request_id"), k -> new ArrayList<>()).add(message);
                if ("complete".equals(message.getString("status"))) {
                    terminals++;
                }
            }
            assertThat(byRequest).hasSize(5);
            byRequest.values().forEach(ChatSocketTest::assertWellFormed);
        }
    }

    @Test
    void tooManyStreamsOnOneConnectionIsRefused() throws Exception {
        try (WsTestClient client = connect()) {
            List<String> streamIds = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                client.send(chat("s" + i, "slow"));
                streamIds.add(client.nextFor("s" + i).getString("stream_id"));
            }
            client.send(chat("one-more", "slow"));
            JsonObject refused = client.nextFor("one-more");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("too_many_streams");
            for (String id : streamIds) {
                client.send(new JsonObject().put("action", "cancel").put("request_id", "x-" + id)
                        .put("payload", new JsonObject().put("stream_id", id)).encode());
            }
        }
    }

    @Test
    void aHandoverToTheNextProviderIsReportedInTheTerminalEvent() throws Exception {
        try (WsTestClient client = connect()) {
            client.send(chat("h1", "handover"));
            List<JsonObject> events = client.streamOf("h1");
            assertWellFormed(events);
            JsonObject complete = events.get(events.size() - 1);
            assertThat(complete.getString("finish_reason")).isEqualTo("stop");
            assertThat(complete.getString("provider")).isEqualTo("second");
            JsonObject handover = complete.getJsonArray("handovers").getJsonObject(0);
            assertThat(handover.getString("from_provider")).isEqualTo("first");
            assertThat(handover.getString("to_provider")).isEqualTo("second");
            assertThat(handover.getString("to_model")).isEqualTo("m-2");
            assertThat(handover.getString("reason")).isEqualTo("provider_error");
            assertThat(handover.getInteger("after_chars")).isEqualTo(5);
        }
        try (WsTestClient client = connect()) {
            client.send(chat("h2", "Hello"));
            List<JsonObject> events = client.streamOf("h2");
            assertThat(events.get(events.size() - 1).containsKey("handovers"))
                    .as("no handovers member when the first provider answered").isFalse();
        }
    }

    @Test
    void routerFailuresEndTheStreamWithAnErrorOrIncomplete() throws Exception {
        try (WsTestClient client = connect()) {
            client.send(chat("f1", "fail"));
            List<JsonObject> failed = client.streamOf("f1");
            assertWellFormed(failed);
            assertThat(failed.get(failed.size() - 1).getJsonObject("error").getString("code")).isEqualTo("internal");

            client.send(chat("f2", "provider-down"));
            List<JsonObject> down = client.streamOf("f2");
            assertWellFormed(down);
            JsonObject error = down.get(down.size() - 1).getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("provider_unavailable");
            assertThat(error.getLong("retry_after_ms")).isEqualTo(1500L);

            client.send(chat("f3", "no-terminal"));
            List<JsonObject> cut = client.streamOf("f3");
            assertWellFormed(cut);
            assertThat(cut.get(cut.size() - 1).getString("finish_reason")).isEqualTo("incomplete");
        }
    }

    @Test
    void clientChosenStreamIdIsUsedAndMustBeUnique() throws Exception {
        try (WsTestClient client = connect()) {
            client.send(new JsonObject().put("action", "chat").put("request_id", "u1")
                    .put("payload", new JsonObject().put("text", "slow").put("stream_id", "mine-1")).encode());
            assertThat(client.nextFor("u1").getString("stream_id")).isEqualTo("mine-1");
            client.send(new JsonObject().put("action", "chat").put("request_id", "u2")
                    .put("payload", new JsonObject().put("text", "slow").put("stream_id", "mine-1")).encode());
            assertThat(client.nextFor("u2").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send(new JsonObject().put("action", "cancel").put("request_id", "u3")
                    .put("payload", new JsonObject().put("stream_id", "mine-1")).encode());
            assertThat(client.streamOf("u1").get(0).getString("stream_id")).isEqualTo("mine-1");
        }
    }
}
