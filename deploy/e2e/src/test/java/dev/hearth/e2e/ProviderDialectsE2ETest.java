package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.Suite;
import dev.hearth.llm.testsupport.AnthropicEvents;
import dev.hearth.llm.testsupport.FakeAnthropicUpstream;
import dev.hearth.llm.testsupport.FakeGeminiUpstream;
import dev.hearth.llm.testsupport.FakeOllamaUpstream;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.GeminiChunks;
import dev.hearth.llm.testsupport.OllamaLines;
import dev.hearth.llm.testsupport.OpenAiChunks;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every provider dialect through the packaged suite: a WebSocket chat → gateway → router → llm-adapter → a fake
 * provider speaking that provider's real wire format (the adapter tests' fakes). Each dialect's model first asks for
 * the built-in {@code current_time} tool, which mcp-config-service runs, then answers with text; a profile whose
 * first provider drops the connection mid-answer is continued by its second on the same stream; and the next turn
 * of that conversation carries both sides of the first as history.
 * Providers and profiles are created through mcp-config-service's admin API, as an operator would.
 */
class ProviderDialectsE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Suite suite;
    private static FakeOpenAiUpstream openai;
    private static FakeAnthropicUpstream anthropic;
    private static FakeGeminiUpstream gemini;
    private static FakeOllamaUpstream ollama;
    /** Requests per model, so a fake can answer a tool round and then the text round. */
    private static final Map<String, AtomicInteger> ROUNDS = new ConcurrentHashMap<>();

    @BeforeAll
    static void providersAndProfiles() throws Exception {
        suite = E2ESuite.get();
        openai = FakeOpenAiUpstream.start();
        anthropic = FakeAnthropicUpstream.start();
        gemini = FakeGeminiUpstream.start();
        ollama = FakeOllamaUpstream.start();

        // The suite's llm-adapter has each fake's key under the fake's variable name (E2ESuite).
        provider("e2e-openai", "openai", openai.baseUrl(), FakeOpenAiUpstream.API_KEY_ENV);
        provider("e2e-anthropic", "anthropic", anthropic.baseUrl(), FakeAnthropicUpstream.API_KEY_ENV);
        provider("e2e-gemini", "gemini", gemini.baseUrl(), FakeGeminiUpstream.API_KEY_ENV);
        provider("e2e-ollama", "ollama", ollama.baseUrl(), FakeOllamaUpstream.API_KEY_ENV);
        for (String dialect : List.of("openai", "anthropic", "gemini", "ollama")) {
            profile("e2e-" + dialect, List.of(Map.of("provider", "e2e-" + dialect, "model", "tools-" + dialect)));
        }
        profile("e2e-chain", List.of(Map.of("provider", "e2e-openai", "model", "cut"),
                Map.of("provider", "e2e-anthropic", "model", "continue")));
        profile("e2e-history", List.of(Map.of("provider", "e2e-anthropic", "model", "history")));

        scriptToolRounds();
    }

    @AfterAll
    static void stopFakes() {
        for (AutoCloseable fake : new AutoCloseable[] {openai, anthropic, gemini, ollama}) {
            try {
                if (fake != null) {
                    fake.close();
                }
            } catch (Exception ignored) {
                // the JVM ends next
            }
        }
    }

    /** Round 1 asks for current_time in Oslo; round 2 (after the tool result) answers in two pieces. */
    private static void scriptToolRounds() {
        openai.on("tools-openai", (request, vertx) -> (round("tools-openai") == 1
                ? FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                        + OpenAiChunks.toolCall(0, "call_e2e_1", "current_time", "{\"timezone\":")
                        + OpenAiChunks.toolCall(0, null, null, "\"Europe/Oslo\"}")
                        + OpenAiChunks.finish("tool_calls") + OpenAiChunks.usage(20, 5) + OpenAiChunks.DONE)
                : FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                        + OpenAiChunks.content("It is late ") + OpenAiChunks.content("in Oslo.")
                        + OpenAiChunks.finish("stop") + OpenAiChunks.usage(40, 4) + OpenAiChunks.DONE))
                .play(request, vertx));
        anthropic.on("tools-anthropic", (request, vertx) -> (round("tools-anthropic") == 1
                ? FakeAnthropicUpstream.Reply.sse(FakeAnthropicUpstream.Ending.END_RESPONSE,
                        AnthropicEvents.messageStart(AnthropicEvents.UPSTREAM_MODEL, 20)
                                + AnthropicEvents.toolUseStart(0, "toolu_e2e_1", "current_time")
                                + AnthropicEvents.inputJsonDelta(0, "{\"timezone\":")
                                + AnthropicEvents.inputJsonDelta(0, "\"Europe/Oslo\"}")
                                + AnthropicEvents.blockStop(0) + AnthropicEvents.messageDelta("tool_use", 5)
                                + AnthropicEvents.messageStop())
                : FakeAnthropicUpstream.Reply.text("It is late ", "in Oslo."))
                .play(request, vertx));
        gemini.on("tools-gemini", (request, vertx) -> (round("tools-gemini") == 1
                ? FakeGeminiUpstream.Reply.sse(FakeGeminiUpstream.Ending.END_RESPONSE,
                        GeminiChunks.functionCall(null, "current_time", new JsonObject().put("timezone", "Europe/Oslo"))
                                + GeminiChunks.finish("STOP", null, 20, 5))
                : FakeGeminiUpstream.Reply.sse(FakeGeminiUpstream.Ending.END_RESPONSE,
                        GeminiChunks.text("It is late ") + GeminiChunks.finish("STOP", "in Oslo.", 40, 4)))
                .play(request, vertx));
        ollama.on("tools-ollama", (request, vertx) -> (round("tools-ollama") == 1
                ? FakeOllamaUpstream.Reply.ndjson(FakeOllamaUpstream.Ending.END_RESPONSE,
                        OllamaLines.toolCalls(OllamaLines.call(null, "current_time",
                                new JsonObject().put("timezone", "Europe/Oslo"))) + OllamaLines.done("stop", 20, 5))
                : FakeOllamaUpstream.Reply.ndjson(FakeOllamaUpstream.Ending.END_RESPONSE,
                        OllamaLines.content("It is late ") + OllamaLines.content("in Oslo.") + OllamaLines.done("stop", 40, 4)))
                .play(request, vertx));
    }

    private static int round(String model) {
        return ROUNDS.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "anthropic", "gemini", "ollama"})
    void everyDialectStreamsAToolRoundAndTextThroughTheSuite(String dialect) throws Exception {
        List<JsonNode> stream = chat("tools-" + dialect, "e2e-" + dialect, "What time is it in Oslo?", null);
        String all = stream.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));

        JsonNode call = chunkOf(stream, "tool_call");
        assertEquals("current_time", call.path("name").asText(), all);
        assertEquals("Europe/Oslo", JSON.readTree(call.path("arguments").asText()).path("timezone").asText(), all);
        JsonNode result = chunkOf(stream, "tool_result");
        assertEquals(call.path("id").asText(), result.path("id").asText(), all);
        assertFalse(result.path("is_error").asBoolean(), all);
        JsonNode time = JSON.readTree(result.path("result").asText());
        assertEquals("Europe/Oslo", time.path("timezone").asText(), all);
        assertFalse(time.path("weekday").asText().isBlank(), all);

        assertEquals("It is late in Oslo.", text(stream), all);
        JsonNode complete = stream.get(stream.size() - 1);
        assertEquals("stop", complete.path("finish_reason").asText(), all);
        assertEquals("e2e-" + dialect, complete.path("provider").asText(), all);
        assertEquals(2, ROUNDS.get("tools-" + dialect).get(), "one tool round, one answer round:\n" + all);
        String secondRequest = lastRequestBody(dialect, "tools-" + dialect);
        assertTrue(secondRequest.contains(time.path("weekday").asText()),
                "the tool's result goes back to the model:\n" + secondRequest);
    }

    @Test
    void aCutOnTheFirstProviderIsContinuedByTheSecondOnTheSameStreamAndRemembered() throws Exception {
        openai.on("cut", FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.CLOSE_CONNECTION, List.of(
                OpenAiChunks.role().getBytes(), OpenAiChunks.content("The quick brown").getBytes(),
                OpenAiChunks.content(" fox jum").getBytes())));
        // Asked to continue, the second model starts again a few words back: the router keeps only what is new.
        anthropic.on("continue", FakeAnthropicUpstream.Reply.text("fox jumps", " over the lazy dog."));
        anthropic.on("history", FakeAnthropicUpstream.Reply.text("It was a fox."));

        List<JsonNode> stream = chat("c1", "e2e-chain", "Tell me the pangram.", null);
        String all = stream.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        assertEquals("The quick brown fox jumps over the lazy dog.", text(stream), "no text lost or repeated:\n" + all);
        JsonNode complete = stream.get(stream.size() - 1);
        assertEquals("stop", complete.path("finish_reason").asText(), all);
        assertEquals("e2e-anthropic", complete.path("provider").asText(), all);
        JsonNode handover = complete.path("handovers").path(0);
        assertEquals("e2e-openai", handover.path("from_provider").asText(), all);
        assertEquals("e2e-anthropic", handover.path("to_provider").asText(), all);
        assertEquals("The quick brown fox jum".length(), handover.path("after_chars").asInt(), all);
        // The second provider was given the partial answer to continue (Anthropic: an assistant prefill).
        JsonObject continued = anthropic.lastRequest("continue").body();
        JsonObject last = continued.getJsonArray("messages").getJsonObject(continued.getJsonArray("messages").size() - 1);
        assertEquals("assistant", last.getString("role"), continued.encode());
        assertTrue(last.encode().contains("The quick brown fox jum"), continued.encode());

        // The next turn of the conversation carries both sides of the first, the answer as the client saw it.
        String conversation = complete.path("conversation_id").asText();
        assertFalse(conversation.isBlank(), all);
        chat("c2", "e2e-history", "Which animal was it?", conversation);
        String next = anthropic.lastRequest("history").body().encode();
        assertTrue(next.contains("Tell me the pangram."), next);
        assertTrue(next.contains("The quick brown fox jumps over the lazy dog."), next);
        assertTrue(next.contains("Which animal was it?"), next);
    }

    @Test
    void aProfileChangedThroughTheAdminApiChangesTheNextChatsModelWithoutARestart() throws Exception {
        openai.on("before", FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                + OpenAiChunks.content("old model") + OpenAiChunks.finish("stop") + OpenAiChunks.DONE));
        openai.on("after", FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                + OpenAiChunks.content("new model") + OpenAiChunks.finish("stop") + OpenAiChunks.DONE));
        profile("e2e-reload", List.of(Map.of("provider", "e2e-openai", "model", "before")));
        assertEquals("old model", text(chat("m1", "e2e-reload", "Which model?", null)));
        List<Long> pids = suite.processes().stream().map(p -> p.pid()).toList();
        double applied = routerConfigVersion();

        ObjectNode changed = JSON.createObjectNode();
        changed.putArray("targets").addObject().put("provider", "e2e-openai").put("model", "after");
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + suite.port(ServiceId.MCP_CONFIG) + "/admin/v1/profiles/e2e-reload"))
                .header("Authorization", "Bearer " + suite.apiKey()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(changed.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        // The router hears of the change over Redis Pub/Sub (milliseconds); once it has, the next chat uses it.
        await().atMost(Duration.ofSeconds(10)).until(() -> routerConfigVersion() > applied);

        assertEquals("new model", text(chat("m2", "e2e-reload", "Which model now?", null)),
                "the chat right after the change uses the new model; no service restarted");
        assertEquals(pids, suite.processes().stream().map(p -> p.pid()).toList(), "no service was restarted");
        assertTrue(suite.processes().stream().allMatch(p -> p.isAlive()), "every service still runs");
    }

    /** The config version the router has applied, from its {@code hearth_config_version} gauge. */
    private static double routerConfigVersion() throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + suite.port(ServiceId.ROUTER)
                + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("hearth_config_version"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no hearth_config_version on the router's /q/metrics"));
    }

    private static String lastRequestBody(String dialect, String model) {
        return switch (dialect) {
            case "openai" -> openai.lastRequest(model).body().encode();
            case "anthropic" -> anthropic.lastRequest(model).body().encode();
            case "gemini" -> gemini.lastRequest(model).body().encode();
            default -> ollama.lastRequest(model).body().encode();
        };
    }

    /** One chat on a fresh connection, until its terminal event; the stream's events in order. */
    private static List<JsonNode> chat(String requestId, String profile, String text, String conversationId) {
        ObjectNode payload = JSON.createObjectNode().put("text", text).put("profile", profile);
        if (conversationId != null) {
            payload.put("conversation_id", conversationId);
        }
        ObjectNode message = JSON.createObjectNode().put("action", "chat").put("request_id", requestId);
        message.set("payload", payload);
        try (WsClient client = WsClient.connect(suite.gatewayWebSocketUrl(), suite.apiKey())) {
            client.send(message.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> client.received().stream()
                    .anyMatch(m -> requestId.equals(m.path("request_id").asText()) && isTerminal(m)));
            List<JsonNode> stream = client.received().stream()
                    .filter(m -> requestId.equals(m.path("request_id").asText()))
                    .collect(Collectors.toList());
            String all = stream.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
            for (int i = 0; i < stream.size(); i++) {
                assertEquals(i, stream.get(i).path("seq").asInt(-1), "seq without gaps:\n" + all);
            }
            assertEquals("complete", stream.get(stream.size() - 1).path("status").asText(), all);
            return stream;
        }
    }

    private static boolean isTerminal(JsonNode message) {
        String status = message.path("status").asText();
        return status.equals("complete") || status.equals("error");
    }

    private static JsonNode chunkOf(List<JsonNode> stream, String type) {
        return stream.stream().filter(m -> type.equals(m.path("chunk").path("type").asText()))
                .map(m -> m.path("chunk").path("data")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " chunk in " + stream));
    }

    private static String text(List<JsonNode> stream) {
        return stream.stream().filter(m -> "text".equals(m.path("chunk").path("type").asText()))
                .map(m -> m.path("chunk").path("data").asText()).collect(Collectors.joining());
    }

    private static void provider(String name, String dialect, String baseUrl, String keyEnv) throws Exception {
        admin("/admin/v1/providers", JSON.createObjectNode().put("name", name).put("dialect", dialect)
                .put("base_url", baseUrl).put("api_key_env", keyEnv));
    }

    private static void profile(String name, List<Map<String, String>> targets) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        ArrayNode chain = body.putArray("targets");
        targets.forEach(t -> chain.addObject().put("provider", t.get("provider")).put("model", t.get("model")));
        body.putArray("allowed_tools").add("current_time");
        admin("/admin/v1/profiles", body);
    }

    private static void admin(String path, ObjectNode body) throws Exception {
        AdminApi.create(suite, path, body);
    }
}
