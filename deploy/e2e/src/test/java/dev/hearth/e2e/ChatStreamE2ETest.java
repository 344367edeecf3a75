package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.launcher.Suite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chat over a real WebSocket through gateway → router → mcp-config (PostgreSQL) → llm-adapter
 * (demo provider), checking the hearth.v1 stream contract on the wire.
 */
@Order(1)
class ChatStreamE2ETest {

    private static Suite suite;

    @BeforeAll
    static void suite() {
        suite = E2ESuite.get();
    }

    @Test
    void welcomesThenStreamsAChatInOrderWithOneTerminalEvent() {
        String url = "ws://127.0.0.1:" + suite.port(dev.hearth.launcher.ServiceId.GATEWAY) + "/ws/chat";
        try (WsClient client = WsClient.connect(url, suite.apiKey())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.received().isEmpty());
            JsonNode welcome = client.received().get(0);
            assertEquals("welcome", welcome.path("request_id").asText(), welcome.toString());
            assertEquals("complete", welcome.path("status").asText());
            assertEquals("welcome", welcome.path("chunk").path("type").asText());
            assertEquals("hearth.v1", welcome.path("chunk").path("data").path("protocol").asText());
            assertFalse(welcome.path("chunk").path("data").path("connection_id").asText().isBlank());
            assertTrue(welcome.path("chunk").path("data").path("limits").isObject(), welcome.toString());

            client.send("{\"action\":\"chat\",\"request_id\":\"r1\",\"payload\":{\"text\":\"Hello Hearth\"}}");
            await().atMost(Duration.ofSeconds(60)).until(() -> client.received().stream().anyMatch(ChatStreamE2ETest::isTerminal));
            // Anything sent after the terminal event would arrive before the answer to this ping.
            client.send("{\"action\":\"ping\",\"request_id\":\"p1\",\"payload\":{}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received().stream()
                    .anyMatch(m -> "p1".equals(m.path("request_id").asText())));

            List<JsonNode> stream = client.received().stream()
                    .filter(m -> "r1".equals(m.path("request_id").asText()))
                    .collect(Collectors.toList());
            assertStreamContract(stream);
        }
    }

    private static void assertStreamContract(List<JsonNode> stream) {
        String all = stream.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        assertTrue(stream.size() >= 3, "processing, at least one chunk, complete:\n" + all);

        JsonNode processing = stream.get(0);
        assertEquals("processing", processing.path("status").asText(), all);
        assertEquals(0, processing.path("seq").asInt(-1), all);
        String streamId = processing.path("stream_id").asText();
        String epoch = processing.path("epoch").asText();
        assertFalse(streamId.isBlank(), all);
        assertFalse(epoch.isBlank(), all);

        StringBuilder text = new StringBuilder();
        for (int i = 1; i < stream.size() - 1; i++) {
            JsonNode chunk = stream.get(i);
            assertEquals("chunk", chunk.path("status").asText(), all);
            assertEquals("text", chunk.path("chunk").path("type").asText(), all);
            assertEquals(i, chunk.path("seq").asInt(-1), "seq without gaps:\n" + all);
            assertEquals(streamId, chunk.path("stream_id").asText(), all);
            assertEquals(epoch, chunk.path("epoch").asText(), all);
            text.append(chunk.path("chunk").path("data").asText());
        }
        assertFalse(text.toString().isBlank(), "the demo provider answered something:\n" + all);

        JsonNode terminal = stream.get(stream.size() - 1);
        assertEquals(1, stream.stream().filter(ChatStreamE2ETest::isTerminal).count(), "exactly one terminal:\n" + all);
        assertEquals("complete", terminal.path("status").asText(), all);
        assertEquals("stop", terminal.path("finish_reason").asText(), all);
        assertEquals(stream.size() - 1, terminal.path("seq").asInt(-1), all);
        assertEquals(streamId, terminal.path("stream_id").asText(), all);
        assertEquals(epoch, terminal.path("epoch").asText(), all);
        assertTrue(terminal.path("usage").isObject(), all);
        assertTrue(terminal.path("usage").has("prompt_tokens"), all);
        assertTrue(terminal.path("usage").has("completion_tokens"), all);
        assertEquals("demo", terminal.path("provider").asText(), all);
    }

    private static boolean isTerminal(JsonNode message) {
        String status = message.path("status").asText();
        return "r1".equals(message.path("request_id").asText()) && ("complete".equals(status) || "error".equals(status));
    }
}
