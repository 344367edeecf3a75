package dev.hearth.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A launcher killed with SIGKILL runs no shutdown hook: the watchdog must stop its services. */
class WatchdogTest {

    @TempDir
    Path tmp;

    @Test
    void servicesDoNotOutliveAKilledLauncher() throws Exception {
        Path repo = FakeRepo.create(Files.createDirectories(tmp.resolve("repo")));
        Files.createDirectories(repo.resolve("gateway-service"));
        int[] ports = dev.hearth.infra.FreePorts.pickDistinct(ServiceId.values().length);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("HEARTH_HOME", repo.toString());
        env.put("HEARTH_DATA_DIR", tmp.resolve("data").toString());
        env.remove("HEARTH_BOOTSTRAP_API_KEY");
        env.put("HEARTH_JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx32m");
        // "postgres" always exists: the launcher creates no database the test would have to drop.
        env.put("HEARTH_DB_NAME", "postgres");
        for (ServiceId service : ServiceId.values()) {
            env.put(service.portEnv(), String.valueOf(ports[service.ordinal()]));
        }
        Process launcher = builder.start();
        try {
            CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(
                    () -> readUntil(launcher, "Ctrl-C stops everything."));
            await().atMost(Duration.ofSeconds(90)).until(ready::isDone);
            // The ready message names the bootstrap admin key and where it is kept.
            Path keyFile = tmp.resolve("data").resolve("bootstrap-api-key");
            String key = Files.readString(keyFile).trim();
            assertTrue(ready.join().contains("  API key:   " + key + "  (stored in " + keyFile + ")"),
                    String.join("\n", ready.join()));
            List<ProcessHandle> tree = launcher.descendants().collect(Collectors.toList());
            // 7 services, their 7 children, the watchdog (its "read" is a shell builtin)
            assertTrue(tree.size() >= 15, "launcher's tree: " + tree.size());

            launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> tree.stream().noneMatch(ProcessLiveness::isRunning));
            assertEquals(List.of(), tree.stream().filter(ProcessLiveness::isRunning).collect(Collectors.toList()));
        } finally {
            launcher.destroyForcibly();
        }
    }

    /** The launcher's output up to and including the marker line. */
    private static List<String> readUntil(Process process, String marker) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new java.util.ArrayList<>();
        try {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains(marker)) {
                    // keep draining so the launcher never blocks on a full pipe
                    Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "drain");
                    drain.setDaemon(true);
                    drain.start();
                    return lines;
                }
            }
            throw new IllegalStateException("launcher ended before: " + marker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
