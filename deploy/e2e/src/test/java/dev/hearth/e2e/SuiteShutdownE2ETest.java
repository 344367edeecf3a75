package dev.hearth.e2e;

import dev.hearth.infra.TcpProbe;
import dev.hearth.launcher.ProcessLiveness;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.Suite;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs last (see junit-platform.properties): stopping the suite leaves no process of it behind. */
@Order(Integer.MAX_VALUE)
class SuiteShutdownE2ETest {

    @Test
    void closeLeavesNoProcessBehind() {
        Suite suite = E2ESuite.get();
        List<ProcessHandle> tree = suite.processTree();
        assertTrue(tree.size() >= ServiceId.values().length, "seven services at least: " + tree);
        // A client in the middle of a stream when the suite stops (SIGTERM to every service).
        WsClient client = WsClient.connect("ws://127.0.0.1:" + suite.port(ServiceId.GATEWAY) + "/ws/chat", suite.apiKey());
        client.send("{\"action\":\"chat\",\"request_id\":\"last\",\"payload\":{\"text\":\""
                + "a long goodbye ".repeat(60) + "\"}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.received().stream()
                .anyMatch(m -> "chunk".equals(m.path("status").asText())));

        E2ESuite.close();

        // It was told the stream ended (one terminal event) and the server went away (1001).
        assertEquals(1001, client.closedWith.join(), client.received().toString());
        List<String> terminals = client.received().stream().filter(m -> "last".equals(m.path("request_id").asText()))
                .map(m -> m.path("status").asText()).filter(s -> s.equals("complete") || s.equals("error"))
                .collect(Collectors.toList());
        assertEquals(1, terminals.size(), client.received().toString());

        await().atMost(Duration.ofSeconds(15)).until(() -> tree.stream().noneMatch(ProcessLiveness::isRunning));
        assertEquals(List.of(), tree.stream().filter(ProcessLiveness::isRunning).collect(Collectors.toList()));
        for (ServiceId service : ServiceId.values()) {
            assertFalse(TcpProbe.isOpen("127.0.0.1", suite.port(service)), service + " port released");
        }
    }
}
