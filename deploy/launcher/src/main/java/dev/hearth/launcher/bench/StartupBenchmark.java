package dev.hearth.launcher.bench;

import dev.hearth.infra.testing.UniqueNames;
import dev.hearth.launcher.RepoLocator;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.ServiceProcess;
import dev.hearth.launcher.Suite;
import dev.hearth.launcher.SuiteConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the packaged suite like the launcher (JVM mode), records each service's time to ready
 * and its RSS after some idle seconds, stops everything; repeats, then prints medians.
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("dev.hearth.infra").setLevel(java.util.logging.Level.WARNING);
        int runs = 1;
        int idleSeconds = 10;
        List<String> javaOpts = SuiteConfig.DEFAULT_JAVA_OPTS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i]);
                case "--java-opts" -> javaOpts = args[++i].isBlank() ? List.of() : Arrays.asList(args[i].trim().split("\\s+"));
                default -> {
                    System.err.println("Usage: startup.sh [--runs N] [--idle-seconds S] [--java-opts \"...\"]");
                    System.exit(2);
                }
            }
        }
        Path repo = RepoLocator.locate(System.getenv());
        System.out.printf("JVM options: %s%nJava: %s %s, %d CPUs%n", String.join(" ", javaOpts),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        List<Map<ServiceId, long[]>> results = new ArrayList<>();
        List<Long> suiteMillis = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Path data = Files.createTempDirectory("hearth-bench-");
            SuiteConfig config = SuiteConfig.builder(repo, data)
                    .randomPorts()
                    .javaOpts(javaOpts)
                    .databaseName(UniqueNames.database())
                    .cleanUpOnClose(true)
                    .redisPrefix(UniqueNames.redisPrefix())
                    .zigbeeBaseTopic(UniqueNames.zigbeeBaseTopic())
                    .out(new PrintStream(new ByteArrayOutputStream(), true))
                    .build();
            Instant started = Instant.now();
            try (Suite suite = Suite.start(config)) {
                suiteMillis.add(Duration.between(started, Instant.now()).toMillis());
                // Idle on purpose: RSS right after readiness still includes startup garbage.
                Thread.sleep(idleSeconds * 1000L);
                Map<ServiceId, long[]> row = new EnumMap<>(ServiceId.class);
                for (ServiceProcess process : suite.processes()) {
                    row.put(process.service(), new long[]{
                            suite.readyTimes().get(process.service()).toMillis(),
                            ProcessMemory.rssKb(process.pid()).orElse(-1) / 1024});
                }
                results.add(row);
                System.out.printf("%nRun %d (suite ready in %d ms):%n", run, suiteMillis.get(suiteMillis.size() - 1));
                printTable(row);
            } finally {
                deleteQuietly(data);
            }
        }
        if (runs > 1) {
            Map<ServiceId, long[]> medians = new EnumMap<>(ServiceId.class);
            for (ServiceId service : ServiceId.values()) {
                medians.put(service, new long[]{
                        median(results.stream().mapToLong(r -> r.get(service)[0]).toArray()),
                        median(results.stream().mapToLong(r -> r.get(service)[1]).toArray())});
            }
            System.out.printf("%nMedian of %d runs (suite ready in %d ms):%n", runs,
                    median(suiteMillis.stream().mapToLong(Long::longValue).toArray()));
            printTable(medians);
        }
    }

    private static void printTable(Map<ServiceId, long[]> row) {
        System.out.printf("  %-12s %14s %14s%n", "service", "ready (ms)", "idle RSS (MB)");
        long totalRss = 0;
        for (Map.Entry<ServiceId, long[]> entry : row.entrySet()) {
            System.out.printf("  %-12s %14d %14d%n", entry.getKey().shortName(), entry.getValue()[0], entry.getValue()[1]);
            totalRss += entry.getValue()[1];
        }
        System.out.printf("  %-12s %14s %14d%n", "total", "", totalRss);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory: the OS cleans it eventually
        }
    }
}
