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

        E2ESuite.close();

        await().atMost(Duration.ofSeconds(15)).until(() -> tree.stream().noneMatch(ProcessLiveness::isRunning));
        assertEquals(List.of(), tree.stream().filter(ProcessLiveness::isRunning).collect(Collectors.toList()));
        for (ServiceId service : ServiceId.values()) {
            assertFalse(TcpProbe.isOpen("127.0.0.1", suite.port(service)), service + " port released");
        }
    }
}
