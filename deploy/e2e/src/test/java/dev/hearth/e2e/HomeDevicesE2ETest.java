package dev.hearth.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.infra.MqttBroker;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.Suite;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.OpenAiChunks;
import dev.hearth.zigbee.sim.Zigbee2MqttSimulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Turn on the living room lamp", end to end through the packaged suite: a Zigbee2MQTT simulator
 * (zigbee-service's test code) on the suite's MQTT broker publishes a home; zigbee-service turns
 * the lamp's exposes into a tool, mcp-config-service offers it as {@code zigbee__living_room_lamp};
 * a fake OpenAI-compatible model asks for it, the router runs it, zigbee-service publishes
 * {@code <lamp>/set} and waits for the simulated bulb's report, and the model's answer says what
 * the tool result said. Meanwhile a second client watching the devices sees the lamp go on.
 */
class HomeDevicesE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String LAMP = Zigbee2MqttSimulator.LAMP;
    private static final String LAMP_TOOL = "zigbee__living_room_lamp";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Suite suite;
    private static Zigbee2MqttSimulator home;
    private static FakeOpenAiUpstream model;
    private static final AtomicInteger ROUNDS = new AtomicInteger();

    @BeforeAll
    static void aHomeAModelAndAProfile() throws Exception {
        suite = E2ESuite.get();
        MqttBroker broker = suite.infrastructure().mqtt();
        home = new Zigbee2MqttSimulator(broker.endpoint().host(), broker.endpoint().port(),
                suite.config().zigbeeBaseTopic()).start().publishAll();
        model = FakeOpenAiUpstream.start();
        admin("/admin/v1/providers", JSON.createObjectNode().put("name", "e2e-home-model").put("dialect", "openai")
                .put("base_url", model.baseUrl()).put("api_key_env", FakeOpenAiUpstream.API_KEY_ENV));
        // The lamp becomes a tool once zigbee-service has the home and mcp-config has listed its tools.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> catalog().contains(LAMP_TOOL));
        ObjectNode profile = JSON.createObjectNode().put("name", "e2e-home");
        profile.putArray("targets").addObject().put("provider", "e2e-home-model").put("model", "home");
        profile.putArray("allowed_tools").add("zigbee__*");
        admin("/admin/v1/profiles", profile);

        // Round 1 asks to switch the lamp on; round 2 answers from the tool's result, as a model would.
        model.on("home", (request, vertx) -> (ROUNDS.incrementAndGet() == 1
                ? FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                        + OpenAiChunks.toolCall(0, "call_lamp", LAMP_TOOL, "{\"state\":")
                        + OpenAiChunks.toolCall(0, null, null, "\"ON\"}")
                        + OpenAiChunks.finish("tool_calls") + OpenAiChunks.DONE)
                : FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                        + OpenAiChunks.content("The living room lamp is on (" + outcomeIn(model.lastRequest("home").body()) + ").")
                        + OpenAiChunks.finish("stop") + OpenAiChunks.DONE))
                .play(request, vertx));
    }

    @AfterAll
    static void closeHome() throws Exception {
        if (home != null) {
            home.close();
        }
        if (model != null) {
            model.close();
        }
    }

    /** The outcome the tool reported, as the model was given it (the last tool message). */
    private static String outcomeIn(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonObject message = messages.getJsonObject(i);
            if ("tool".equals(message.getString("role"))) {
                return new JsonObject(message.getString("content")).getString("outcome", "no outcome");
            }
        }
        return "no tool result";
    }

    @Test
    void askingToTurnOnTheLampSwitchesItConfirmedAndAWatcherSeesIt() throws Exception {
        try (WsClient watcher = WsClient.connect(suite.gatewayWebSocketUrl(), suite.apiKey());
                WsClient chat = WsClient.connect(suite.gatewayWebSocketUrl(), suite.apiKey())) {
            watcher.send("{\"action\":\"devices.watch\",\"request_id\":\"w1\",\"payload\":{\"devices\":[\"" + LAMP + "\"]}}");
            JsonNode snapshot = await().atMost(WAIT).until(() -> firstDeviceEvent(watcher, "snapshot"), n -> n != null);
            JsonNode lampBefore = snapshot.path("payload").path("devices").path(0);
            assertEquals(LAMP, lampBefore.path("name").asText(), snapshot.toString());
            assertEquals("OFF", lampBefore.path("state").path("state").asText(), snapshot.toString());

            chat.send(JSON.createObjectNode().put("action", "chat").put("request_id", "c1")
                    .set("payload", JSON.createObjectNode().put("text", "Turn on the living room lamp")
                            .put("profile", "e2e-home")).toString());
            await().atMost(WAIT).until(() -> chat.received().stream().anyMatch(m -> "c1".equals(m.path("request_id").asText())
                    && ("complete".equals(m.path("status").asText()) || "error".equals(m.path("status").asText()))));
            List<JsonNode> stream = chat.received().stream().filter(m -> "c1".equals(m.path("request_id").asText()))
                    .collect(Collectors.toList());
            String all = stream.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));

            JsonNode call = chunk(stream, "tool_call");
            assertEquals(LAMP_TOOL, call.path("name").asText(), all);
            JsonNode result = chunk(stream, "tool_result");
            assertFalse(result.path("is_error").asBoolean(), all);
            JsonNode outcome = JSON.readTree(result.path("result").asText());
            assertEquals("confirmed", outcome.path("outcome").asText(), all);
            assertEquals("ON", outcome.path("state").path("state").asText(), all);
            String text = stream.stream().filter(m -> "text".equals(m.path("chunk").path("type").asText()))
                    .map(m -> m.path("chunk").path("data").asText()).collect(Collectors.joining());
            assertEquals("The living room lamp is on (confirmed).", text, all);
            assertEquals("stop", stream.get(stream.size() - 1).path("finish_reason").asText(), all);

            // The simulated bulb really was switched (it changes only on <lamp>/set)...
            assertEquals("ON", home.state(LAMP).getString("state"));
            // ...and the watcher saw it happen.
            JsonNode on = await().atMost(WAIT).until(() -> watcher.received().stream()
                    .filter(m -> "device_event".equals(m.path("chunk").path("type").asText()))
                    .map(m -> m.path("chunk").path("data"))
                    .filter(d -> "state".equals(d.path("kind").asText()) && LAMP.equals(d.path("device").asText())
                            && "ON".equals(d.path("payload").path("state").asText()))
                    .findFirst().orElse(null), n -> n != null);
            assertTrue(on.path("at_ms").asLong() > 0, on.toString());
        }
    }

    private static JsonNode firstDeviceEvent(WsClient client, String kind) {
        return client.received().stream().filter(m -> "device_event".equals(m.path("chunk").path("type").asText()))
                .map(m -> m.path("chunk").path("data")).filter(d -> kind.equals(d.path("kind").asText()))
                .findFirst().orElse(null);
    }

    private static JsonNode chunk(List<JsonNode> stream, String type) {
        return stream.stream().filter(m -> type.equals(m.path("chunk").path("type").asText()))
                .map(m -> m.path("chunk").path("data")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " chunk in " + stream));
    }

    private static String catalog() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + suite.port(ServiceId.MCP_CONFIG) + "/admin/v1/tools"))
                .header("Authorization", "Bearer " + suite.apiKey()).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static void admin(String path, ObjectNode body) throws Exception {
        AdminApi.create(suite, path, body);
    }
}
