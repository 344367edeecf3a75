package dev.hearth.bench;

import dev.hearth.bench.BenchOptions.Phase;
import dev.hearth.infra.testing.UniqueNames;
import dev.hearth.launcher.RepoLocator;
import dev.hearth.launcher.ServiceId;
import dev.hearth.launcher.ServiceProcess;
import dev.hearth.launcher.Suite;
import dev.hearth.launcher.SuiteConfig;
import dev.hearth.launcher.SuiteStartException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Issue 3, "Numbers to record": the packaged suite (seven services as processes, real Redis and
 * PostgreSQL) against a fake OpenAI-compatible upstream in this JVM pacing 64 tokens 20 ms apart,
 * compared with reading that upstream directly. Prints the configuration, a section per phase and
 * a summary table (metric, value, aim, met?). Not a test: run it with deploy/bench/gateway.sh.
 *
 * <ol>
 * <li>latency: added time to first token and added inter-token gap, p50 and p99, at c=1 (streams
 * one after another, suite and direct alternating) and at c=500 (one round each);</li>
 * <li>ramp: rounds of c = 10, 20, … 500, 1000, 2000… concurrent streams until one is not clean (a
 * token missing or out of order, no terminal {@code stop}, a gap over 40 ms, or fewer than c answers
 * streaming at once at the upstream: queued is not concurrent);</li>
 * <li>fanout: one stream watched by 1, 100, 1,000 other connections: p99 delivery delay;</li>
 * <li>idle: heap per idle WebSocket, from the gateway's own heap metric after a forced full GC,
 * before and after opening ~19,000 connections from several client JVMs.</li>
 * </ol>
 */
public final class GatewayBenchmark {

    private static final PrintStream OUT = System.out;

    private final BenchOptions options;
    private final Pacing pacing;
    private final Report report = new Report();
    private final Map<String, String> suiteEnv = new LinkedHashMap<>();
    private Suite suite;
    private FakeUpstream fake;
    private GatewayClient gateway;
    private DirectClient direct;
    private CpuSampler cpu;

    private GatewayBenchmark(BenchOptions options) {
        this.options = options;
        this.pacing = new Pacing(options.tokens, options.intervalMs, options.firstTokenMs());
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("dev.hearth.infra").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("io.netty").setLevel(java.util.logging.Level.WARNING);
        BenchOptions options = BenchOptions.parse(args);
        int exit = new GatewayBenchmark(options).run();
        System.exit(exit);
    }

    private int run() throws Exception {
        Path repo = RepoLocator.locate(System.getenv());
        String database = UniqueNames.database();
        Path data = repo.resolve("deploy/bench/target/gateway-bench").resolve(database);
        Files.createDirectories(data);
        long gatewayMaxClients = Math.max(1024, options.maxWatchers() + 16L);
        suiteEnv.put("HEARTH_GATEWAY_LIMITS_MESSAGES_PER_MINUTE", "10000000");
        suiteEnv.put("HEARTH_GATEWAY_LIMITS_STREAMS_PER_KEY", "1000000");
        suiteEnv.put("HEARTH_GATEWAY_LIMITS_CONNECTIONS_PER_KEY", "1000000");
        suiteEnv.put("HEARTH_GATEWAY_STREAMS_MAX_CONCURRENT", String.valueOf(Math.max(2000, options.maxStreams() * 2)));
        suiteEnv.put("HEARTH_GATEWAY_STREAMS_MAX_CLIENTS_PER_STREAM", String.valueOf(gatewayMaxClients));
        if (options.redisPoolWaiting > 0) {
            suiteEnv.put("QUARKUS_REDIS_MAX_POOL_WAITING", String.valueOf(options.redisPoolWaiting));
        }
        if (options.redisPoolSize > 0) {
            suiteEnv.put("QUARKUS_REDIS_MAX_POOL_SIZE", String.valueOf(options.redisPoolSize));
        }
        if (options.rstFloodMax > 0) {
            suiteEnv.put("QUARKUS_HTTP_LIMITS_RST_FLOOD_MAX_RST_FRAME_PER_WINDOW", String.valueOf(options.rstFloodMax));
        }
        if (options.h2MaxConcurrentStreams > 0) {
            suiteEnv.put("QUARKUS_HTTP_LIMITS_MAX_CONCURRENT_STREAMS", String.valueOf(options.h2MaxConcurrentStreams));
        }

        printConfiguration(repo, data);
        int exit = 0;
        fake = FakeUpstream.start(pacing, options.fakeEventLoops);
        suiteEnv.put("HEARTH_OLLAMA_URL", fake.baseUrl());
        SuiteConfig config = suiteConfig(repo, data, database);
        OUT.printf("%nStarting the suite (database %s, logs in %s)...%n", database, config.logDir());
        try {
            suite = Suite.start(config);
        } catch (SuiteStartException e) {
            OUT.println("The suite did not start: " + e.getMessage());
            OUT.println(e.logTail());
            fake.close();
            return 1;
        } catch (RuntimeException e) {
            OUT.println("The suite did not start: " + e.getMessage());
            fake.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "bench-suite-stop"));
        try {
            ServiceProcess gw = suite.process(ServiceId.GATEWAY).orElseThrow();
            cpu = new CpuSampler();
            for (ServiceProcess p : suite.processes()) {
                cpu.add(p.service().shortName(), p.pid());
            }
            cpu.add("bench", ProcessHandle.current().pid());
            cpu.addByCommand("redis", "redis-server");
            cpu.addByCommand("postgres", "postgres");
            gateway = new GatewayClient(suite.port(ServiceId.GATEWAY), suite.apiKey(), options.clientEventLoops,
                    options.connectInFlight);
            direct = new DirectClient(fake.port(), options.clientEventLoops, Math.max(options.concurrency, options.warmupConcurrency) + 16);
            checkRoute();
            if (options.runs(Phase.LATENCY) || options.runs(Phase.RAMP) || options.runs(Phase.FANOUT)
                    || options.runs(Phase.SOAK)) {
                warmUp(); // the JIT of every service on the path, whatever part runs
            }
            if (options.runs(Phase.LATENCY)) {
                latency();
            }
            if (options.runs(Phase.RAMP)) {
                ramp();
            }
            if (options.runs(Phase.SOAK)) {
                soak();
            }
            if (options.runs(Phase.FANOUT)) {
                fanOut();
            }
            if (options.runs(Phase.IDLE)) {
                idle(new ServiceProbe(gw.pid(), suite.gatewayHttpUrl()));
            }
        } catch (Exception e) {
            exit = 1;
            OUT.println();
            OUT.println("The benchmark stopped: " + e);
            e.printStackTrace(OUT);
        } finally {
            OUT.printf("%n== Summary (%s) ==%n", java.time.LocalDateTime.now().withNano(0));
            report.print(OUT);
            OUT.println("added TTFT: percentile of (TTFT less the upstream's own pacing before token 0) through the suite minus"
                    + " the same directly; added gap and delay: percentile through the suite minus percentile directly.");
            closeQuietly(gateway);
            closeQuietly(direct);
            suite.close();
            closeQuietly(fake);
            if (!options.keepData && exit == 0) {
                deleteQuietly(data);
            } else {
                OUT.println("Data and logs kept in " + data);
            }
        }
        return exit;
    }

    private SuiteConfig suiteConfig(Path repo, Path data, String database) {
        SuiteConfig.Builder builder = SuiteConfig.builder(repo, data)
                .randomPorts()
                .databaseName(database) // a fresh database: mcp-config seeds the default profile from the fake
                .cleanUpOnClose(true)
                .redisPrefix(UniqueNames.redisPrefix())
                .zigbeeBaseTopic(UniqueNames.zigbeeBaseTopic())
                .javaOpts(split(options.javaOpts))
                .javaOpts(ServiceId.GATEWAY, split(options.gatewayJavaOpts))
                .out(new PrintStream(PrintStream.nullOutputStream()));
        // No hosted provider may win over the fake; the launcher generates the bootstrap admin key.
        for (String name : System.getenv().keySet()) {
            if (name.endsWith("_API_KEY") || name.startsWith("HEARTH_JAVA_OPTS") || name.equals("HEARTH_DEFAULT_MODEL")) {
                builder.withoutEnv(name);
            }
        }
        suiteEnv.forEach(builder::env);
        return builder.build();
    }

    private void printConfiguration(Path repo, Path data) {
        OUT.println("== Hearth gateway benchmark (issue 3) ==");
        OUT.printf("Checkout: %s%n", repo);
        OUT.printf("Java %s (%s), %d CPUs; this JVM: %s%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        OUT.printf("Upstream pacing: %d tokens, first after %d ms, then every %d ms; clean = all tokens in order, "
                + "terminal stop, no gap over %d ms, all c streaming at once%n", pacing.tokens(), pacing.firstTokenMs(),
                pacing.intervalMs(), options.gapLimitMs);
        OUT.printf("Phases: %s; c=1 streams: %d; c=%d; ramp %s (starts spread over %d ms); watchers %s; idle %d from %d JVMs%n",
                options.phases, options.c1Streams, options.concurrency, options.rampLevels, options.rampMs,
                options.watchers, options.idleConnections, options.idleProcesses);
        OUT.printf("Services' JVM options: %s; gateway: %s%n", options.javaOpts, options.gatewayJavaOpts);
        OUT.println("Suite environment set by the benchmark:");
        suiteEnv.forEach((k, v) -> OUT.printf("  %s=%s%n", k, k.equals("HEARTH_OLLAMA_URL") ? "<fake upstream>" : v));
        OUT.printf("Client: %d event loops (Vert.x %s), fake upstream: %d event loops%n", options.clientEventLoops,
                io.vertx.core.impl.launcher.commands.VersionCommand.getVersion(), options.fakeEventLoops);
    }

    /** One stream through the suite must come from the fake (else the seed chose another provider). */
    private void checkRoute() throws Exception {
        StreamRounds rounds = new StreamRounds(gateway, direct, 30);
        List<StreamRecord> one = rounds.viaSuite(1, new Pacing(4, 5, 5), 0);
        rounds.closeConnections();
        StreamRecord r = one.get(0);
        if (!r.clean()) {
            throw new IllegalStateException("a first chat through the suite did not stream from the fake upstream: "
                    + r.failure + " (is mcp-config's default profile the fake? see " + suite.config().logDir() + ")");
        }
        OUT.printf("Route checked: the suite's default profile streams from the fake upstream (TTFT %.2f ms cold).%n",
                r.ttftNanos() / 1e6);
    }

    private void warmUp() throws Exception {
        if (options.warmupSeconds == 0) {
            return;
        }
        // The services' JIT needs calls, not time: a faster pace than the measured one.
        Pacing fast = new Pacing(pacing.tokens(), 5, 5);
        StreamRounds rounds = new StreamRounds(gateway, direct, options.streamTimeoutSeconds);
        long started = System.nanoTime();
        long until = started + TimeUnit.SECONDS.toNanos(options.warmupSeconds);
        int streams = 0;
        int failed = 0;
        int c = options.warmupConcurrency;
        while (System.nanoTime() < until) {
            failed += (int) rounds.viaSuite(c, fast, 100).stream().filter(r -> !r.clean()).count();
            failed += (int) rounds.direct(c, fast, 100).stream().filter(r -> !r.clean()).count();
            streams += c;
        }
        // One unmeasured direct round at c=N: its keep-alive connections stay open (as the WebSockets
        // are for the suite round) and this JVM's own code is warm at that concurrency.
        rounds.direct(options.concurrency, pacing, options.rampMs);
        rounds.closeConnections();
        OUT.printf("Warm-up: %d streams each way at c=%d, 5 ms pacing, in %.1f s (%d not clean)%n",
                streams, c, (System.nanoTime() - started) / 1e9, failed);
    }

    private void latency() throws Exception {
        OUT.printf("%n== Latency: through the suite vs. directly ==%n");
        StreamRounds rounds = new StreamRounds(gateway, direct, options.streamTimeoutSeconds);
        List<StreamRecord> suite1 = new ArrayList<>();
        List<StreamRecord> direct1 = new ArrayList<>();
        long gc = gcMillis();
        Map<String, Double> before1 = cpu.snapshot();
        long t1 = System.nanoTime();
        for (int i = 0; i < options.c1Streams; i++) {
            suite1.addAll(rounds.viaSuite(1, pacing, 0));
            direct1.addAll(rounds.direct(1, pacing, 0));
        }
        long gc1 = gcMillis() - gc;
        String disturbed1 = disturbance(CpuSampler.delta(before1, cpu.snapshot()), (System.nanoTime() - t1) / 1e9);
        if (!disturbed1.isEmpty()) {
            OUT.println("  c=1 runs " + disturbed1);
        }
        rounds.closeConnections();
        long gapLimit = TimeUnit.MILLISECONDS.toNanos(options.gapLimitMs);
        RunStats s1 = new RunStats(suite1, gapLimit);
        RunStats d1 = new RunStats(direct1, gapLimit);

        // c streams at once: directly first (the suite round leaves history writes and stores behind)
        int c = options.concurrency;
        Thread.sleep(1000);
        RunStats dc = new RunStats(rounds.direct(c, pacing, options.rampMs), gapLimit);
        rounds.ensureConnections(c);
        startJfr("c" + c);
        Thread.sleep(1000);
        fake.resetPeak();
        Map<String, Double> before = cpu.snapshot();
        long t0 = System.nanoTime();
        gc = gcMillis();
        RunStats sc = new RunStats(rounds.viaSuite(c, pacing, options.rampMs), gapLimit);
        double wall = (System.nanoTime() - t0) / 1e9;
        long gcC = gcMillis() - gc;
        Map<String, Double> cpuC = CpuSampler.delta(before, cpu.snapshot());
        stopJfr("c" + c);
        int peakSuite = fake.peak();
        rounds.closeConnections();

        OUT.printf("%-14s %8s %8s | %8s %8s | %7s %7s %7s | %8s %8s | %s%n", "", "TTFT p50", "p99", "+path50", "p99",
                "gap p50", "p99", "max", "delay50", "p99", "streams clean");
        line("c=1 suite", s1);
        line("c=1 direct", d1);
        line("c=" + c + " suite", sc);
        line("c=" + c + " direct", dc);
        OUT.println("  (ms; TTFT = chat sent → first token received; +path = TTFT less the upstream's own pacing until"
                + " token 0 left it; delay = token left upstream → received)");
        OUT.printf("  +path split, p50 / p99: request → upstream %s / %s (suite), %s / %s (direct); token 0 → client %s / %s (suite), %s / %s (direct)%n",
                fmtMs(s1.requestPath, 50), fmtMs(s1.requestPath, 99), fmtMs(d1.requestPath, 50), fmtMs(d1.requestPath, 99),
                fmtMs(s1.firstTokenPath, 50), fmtMs(s1.firstTokenPath, 99), fmtMs(d1.firstTokenPath, 50), fmtMs(d1.firstTokenPath, 99));
        OUT.printf("  c=%d through the suite: at most %d answers streaming at the upstream at once; CPU %s over %.1f s%n",
                c, peakSuite, cpuText(cpuC, wall, sc), wall);
        OUT.printf("  GC pauses of this (client) JVM: %d ms during the c=1 runs, %d ms during the c=%d suite round%n", gc1, gcC, c);

        report.atMost("added TTFT p50 @ c=1", addedMs(s1.ttftOverhead, d1.ttftOverhead, 50), 0.5, "ms",
                "(suite " + fmtMs(s1.ttft, 50) + ", direct " + fmtMs(d1.ttft, 50) + ")");
        report.atMost("added TTFT p99 @ c=1", addedMs(s1.ttftOverhead, d1.ttftOverhead, 99), 1.5, "ms",
                "(suite " + fmtMs(s1.ttft, 99) + ", direct " + fmtMs(d1.ttft, 99) + ")");
        report.add("added inter-token gap p50 / p99 @ c=1", gapText(s1, d1));
        report.add("added TTFT p50 / p99 @ c=" + c, Report.fmt(addedMs(sc.ttftOverhead, dc.ttftOverhead, 50)) + " / "
                + Report.fmt(addedMs(sc.ttftOverhead, dc.ttftOverhead, 99)) + " ms  (suite " + fmtMs(sc.ttft, 50) + " / "
                + fmtMs(sc.ttft, 99) + ", direct " + fmtMs(dc.ttft, 50) + " / " + fmtMs(dc.ttft, 99) + "; at most " + peakSuite
                + " of " + c + " streaming at once at the upstream; " + sc.clean + "/" + c + " clean)");
        report.add("added inter-token gap p50 / p99 @ c=" + c, gapText(sc, dc));
        report.add("added per-token delay p50 / p99 @ c=1 / c=" + c, Report.fmt(addedMs(s1.delay, d1.delay, 50)) + " / "
                + Report.fmt(addedMs(s1.delay, d1.delay, 99)) + " ms; " + Report.fmt(addedMs(sc.delay, dc.delay, 50)) + " / "
                + Report.fmt(addedMs(sc.delay, dc.delay, 99)) + " ms");
    }

    private void ramp() throws Exception {
        OUT.printf("%n== Most concurrent clean streams (ramp) ==%n");
        OUT.printf("%6s %6s %6s | %8s %8s | %7s %7s | %8s | %-60s | %s%n", "c", "clean", "peak", "TTFT p50", "p99",
                "gap p99", "max", "delay99", "CPU (cores used)", "verdict");
        long gapLimit = TimeUnit.MILLISECONDS.toNanos(options.gapLimitMs);
        StreamRounds rounds = new StreamRounds(gateway, direct, options.streamTimeoutSeconds);
        int lastClean = 0;
        String firstUnclean = null;
        startJfr("ramp");
        try {
            for (int c : options.rampLevels) {
                try {
                    rounds.ensureConnections(c);
                } catch (IllegalStateException e) {
                    OUT.printf("%6d  could not open the connections: %s%n", c, e.getMessage());
                    firstUnclean = "c=" + c + ": " + e.getMessage();
                    break;
                }
                Thread.sleep(1500); // let the previous round's history writes and closes settle
                fake.resetPeak();
                Map<String, Double> before = cpu.snapshot();
                long t0 = System.nanoTime();
                RunStats s;
                try {
                    s = new RunStats(rounds.viaSuite(c, pacing, options.rampMs), gapLimit);
                } catch (IllegalStateException e) {
                    OUT.printf("%6d  could not run: %s%n", c, e.getMessage());
                    firstUnclean = "c=" + c + ": " + e.getMessage();
                    break;
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                Map<String, Double> used = CpuSampler.delta(before, cpu.snapshot());
                int peak = fake.peak();
                boolean concurrent = peak >= c;
                boolean clean = s.allClean() && concurrent;
                String verdict = disturbance(used, wall) + (clean ? "clean" : (s.allClean() ? "" : s.why()))
                        + (concurrent ? "" : (s.allClean() ? "" : "; ") + "only " + peak + " of " + c + " streaming at once at the upstream");
                OUT.printf("%6d %6d %6d | %8s %8s | %7s %7s | %8s | %-60s | %s%n", c, s.clean, peak, fmtMs(s.ttft, 50),
                        fmtMs(s.ttft, 99), fmtMs(s.gap, 99), RunStats.ms(s.maxGapNanos), fmtMs(s.delay, 99),
                        cpuText(used, wall, null), verdict);
                if (!clean) {
                    firstUnclean = "c=" + c + ": " + verdict;
                    break;
                }
                lastClean = c;
            }
        } finally {
            rounds.closeConnections();
            stopJfr("ramp");
        }
        report.atLeast("most concurrent clean streams", lastClean, 2000, "streams",
                firstUnclean == null ? "(every level tried was clean)" : "(next: " + abbreviate(firstUnclean, 110) + ")");
    }

    /** Back-to-back rounds at one concurrency, e.g. to profile the services meanwhile. */
    private void soak() throws Exception {
        OUT.printf("%n== Soak: rounds of c=%d for %d s (pids: %s) ==%n", options.soakConcurrency, options.soakSeconds,
                suite.processes().stream().map(p -> p.service().shortName() + " " + p.pid()).collect(Collectors.joining(", ")));
        long gapLimit = TimeUnit.MILLISECONDS.toNanos(options.gapLimitMs);
        StreamRounds rounds = new StreamRounds(gateway, direct, options.streamTimeoutSeconds);
        rounds.ensureConnections(options.soakConcurrency);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.soakSeconds);
        while (System.nanoTime() < until) {
            Map<String, Double> before = cpu.snapshot();
            long t0 = System.nanoTime();
            RunStats s = new RunStats(rounds.viaSuite(options.soakConcurrency, pacing, options.rampMs), gapLimit);
            double wall = (System.nanoTime() - t0) / 1e9;
            OUT.printf("  %d/%d clean, TTFT p99 %s ms, gap p99 %s ms, CPU %s%n", s.clean, s.streams, fmtMs(s.ttft, 99),
                    fmtMs(s.gap, 99), cpuText(CpuSampler.delta(before, cpu.snapshot()), wall, s));
        }
        rounds.closeConnections();
    }

    private void fanOut() throws Exception {
        OUT.printf("%n== Fan-out: one stream, N watchers (delivery delay = token left upstream → watcher received it) ==%n");
        OUT.printf("%8s %8s %9s %9s %9s %10s  %s%n", "watchers", "clean", "p50 ms", "p99 ms", "max ms", "subscribe", "notes");
        Pacing held = new Pacing(pacing.tokens(), pacing.intervalMs(), options.fanoutFirstTokenMs);
        for (int n : options.watchers) {
            Thread.sleep(1000);
            Map<String, Double> before = cpu.snapshot();
            long t0 = System.nanoTime();
            FanOut.Result r = FanOut.run(gateway, n, held, options.streamTimeoutSeconds);
            String disturbed = disturbance(CpuSampler.delta(before, cpu.snapshot()), (System.nanoTime() - t0) / 1e9);
            String notes = disturbed
                    + (r.lateSubscribers() > 0 ? r.lateSubscribers() + " subscribed after token 0 left; " : "")
                    + (r.ownerClean() ? "" : "owner's stream not clean; ")
                    + (r.firstFailure() == null ? "" : r.firstFailure());
            OUT.printf("%8d %8d %9s %9s %9s %8d ms  %s%n", n, r.clean(), fmtMs(r.delay(), 50), fmtMs(r.delay(), 99),
                    RunStats.ms(r.delay().getMaxValue()), r.subscribeMillis(), notes);
            report.add("fan-out to " + n + (n == 1 ? " watcher" : " watchers") + ": delivery delay p99",
                    fmtMs(r.delay(), 99) + " ms  (p50 " + fmtMs(r.delay(), 50) + ", " + r.clean() + "/" + n + " watchers clean"
                            + (disturbed.isEmpty() ? "" : "; " + disturbed.replace("; ", "")) + ")");
        }
    }

    private void idle(ServiceProbe gatewayProbe) throws Exception {
        OUT.printf("%n== Heap per idle WebSocket ==%n");
        // Nothing of ours may stay open: the baseline is the gateway with no client at all.
        closeQuietly(gateway);
        gateway = null;
        Thread.sleep(3000);
        int n = options.idleConnections;
        long heapBefore = gatewayProbe.heapAfterGc();
        long rssBefore = gatewayProbe.rssBytes();
        long fdsBefore = gatewayProbe.openFiles();
        OUT.printf("Before: heap %.1f MB after full GC, RSS %.0f MB, %d fds%n", heapBefore / 1e6, rssBefore / 1e6, fdsBefore);

        List<Process> clients = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        int per = (n + options.idleProcesses - 1) / options.idleProcesses;
        int opened = 0;
        List<String> problems = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0, left = n; left > 0; i++, left -= per) {
                int count = Math.min(per, left);
                ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        IdleClients.class.getName(), String.valueOf(suite.port(ServiceId.GATEWAY)), String.valueOf(count),
                        String.valueOf(Math.max(16, options.connectInFlight / options.idleProcesses)))
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().put("BENCH_API_KEY", suite.apiKey());
                Process p = pb.start();
                clients.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outputs) {
                String line = out.readLine();
                if (line != null && line.startsWith("OPENED ")) {
                    opened += Integer.parseInt(line.substring(7).trim());
                } else {
                    problems.add(String.valueOf(line));
                }
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(3000);
            long heapAfter = gatewayProbe.heapAfterGc();
            long rssAfter = gatewayProbe.rssBytes();
            long fdsAfter = gatewayProbe.openFiles();
            OUT.printf("After %d idle connections (opened in %.1f s from %d JVMs): heap %.1f MB after full GC, RSS %.0f MB, %d fds%n",
                    opened, openSeconds, clients.size(), heapAfter / 1e6, rssAfter / 1e6, fdsAfter);
            problems.forEach(p -> OUT.println("  client process: " + p));
            if (opened == 0) {
                report.notMeasured("heap per idle WebSocket", "≤ 16 KB", "no connection opened: " + problems);
                return;
            }
            double perConnKb = (heapAfter - heapBefore) / (double) opened / 1024.0;
            double rssPerConnKb = (rssAfter - rssBefore) / (double) opened / 1024.0;
            OUT.printf("Per connection: %.2f KB heap, %.2f KB RSS%n", perConnKb, rssPerConnKb);
            report.atMost("heap per idle WebSocket @ " + opened + " connections", perConnKb, 16, "KB",
                    String.format(Locale.ROOT, "(RSS %.1f KB/conn)", rssPerConnKb));
        } finally {
            for (Process p : clients) {
                p.getOutputStream().close(); // the client exits when its stdin closes
            }
            for (Process p : clients) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    // --- JFR (optional) ---------------------------------------------------------------------------

    private void startJfr(String tag) {
        if (options.jfrDir == null) {
            return;
        }
        for (ServiceId service : List.of(ServiceId.GATEWAY, ServiceId.ROUTER, ServiceId.LLM_ADAPTER)) {
            suite.process(service).ifPresent(p -> {
                try {
                    new ServiceProbe(p.pid(), "").jcmd("JFR.start", "name=bench-" + tag, "settings=profile");
                } catch (IOException | InterruptedException e) {
                    OUT.println("JFR could not start in " + service.shortName() + ": " + e.getMessage());
                }
            });
        }
    }

    private void stopJfr(String tag) {
        if (options.jfrDir == null) {
            return;
        }
        try {
            Files.createDirectories(options.jfrDir);
        } catch (IOException e) {
            OUT.println("cannot create " + options.jfrDir + ": " + e.getMessage());
            return;
        }
        for (ServiceId service : List.of(ServiceId.GATEWAY, ServiceId.ROUTER, ServiceId.LLM_ADAPTER)) {
            suite.process(service).ifPresent(p -> {
                Path file = options.jfrDir.resolve(service.shortName() + "-" + tag + ".jfr");
                try {
                    new ServiceProbe(p.pid(), "").jcmd("JFR.stop", "name=bench-" + tag, "filename=" + file);
                    OUT.println("JFR (" + tag + "): " + file);
                } catch (IOException | InterruptedException e) {
                    OUT.println("JFR could not stop in " + service.shortName() + ": " + e.getMessage());
                }
            });
        }
    }

    // --- formatting -------------------------------------------------------------------------------

    private static void line(String name, RunStats s) {
        OUT.printf("%-14s %8s %8s | %8s %8s | %7s %7s %7s | %8s %8s | %d/%d%s%n", name, fmtMs(s.ttft, 50), fmtMs(s.ttft, 99),
                fmtMs(s.ttftOverhead, 50), fmtMs(s.ttftOverhead, 99), fmtMs(s.gap, 50), fmtMs(s.gap, 99),
                RunStats.ms(s.maxGapNanos), fmtMs(s.delay, 50), fmtMs(s.delay, 99), s.clean, s.streams,
                s.allClean() ? "" : "  " + abbreviate(s.why(), 140));
    }

    private static String gapText(RunStats suite, RunStats direct) {
        return Report.fmt(addedMs(suite.gap, direct.gap, 50)) + " / " + Report.fmt(addedMs(suite.gap, direct.gap, 99))
                + " ms  (suite " + fmtMs(suite.gap, 50) + " / " + fmtMs(suite.gap, 99) + ", direct " + fmtMs(direct.gap, 50)
                + " / " + fmtMs(direct.gap, 99) + ")";
    }

    private static double addedMs(Histogram suite, Histogram direct, double percentile) {
        return RunStats.p(suite, percentile) - RunStats.p(direct, percentile);
    }

    private static String fmtMs(Histogram h, double percentile) {
        return String.format(Locale.ROOT, "%.2f", RunStats.p(h, percentile));
    }

    /** Cores used per process over the round, largest first; with µs of CPU per token when a round is given. */
    private static String cpuText(Map<String, Double> used, double wallSeconds, RunStats round) {
        String perProcess = used.entrySet().stream()
                .filter(e -> e.getValue() >= 0.01 * wallSeconds)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / wallSeconds))
                .collect(Collectors.joining(", "));
        double total = used.values().stream().mapToDouble(Double::doubleValue).sum() / wallSeconds;
        String text = String.format(Locale.ROOT, "%.2f busy: %s", total, perProcess);
        if (round != null && round.delay.getTotalCount() > 0) {
            double suiteCpu = used.entrySet().stream()
                    .filter(e -> !e.getKey().equals("bench") && !e.getKey().equals(CpuSampler.OTHER))
                    .mapToDouble(Map.Entry::getValue).sum();
            text += String.format(Locale.ROOT, " (suite + redis + postgres: %.0f µs CPU per token)",
                    suiteCpu * 1e6 / round.delay.getTotalCount());
        }
        return text;
    }

    /** A note when processes outside the benchmark and the suite used the CPU meanwhile (a build, say). */
    private static String disturbance(Map<String, Double> used, double wallSeconds) {
        double other = used.getOrDefault(CpuSampler.OTHER, 0.0) / wallSeconds;
        return other >= 0.15 ? String.format(Locale.ROOT, "DISTURBED: other processes used %.2f cores; ", other) : "";
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private static List<String> split(String opts) {
        return opts.isBlank() ? List.of() : Arrays.asList(opts.trim().split("\\s+"));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // under target/: the next clean removes it
        }
    }
}
