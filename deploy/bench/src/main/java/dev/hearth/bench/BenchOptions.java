package dev.hearth.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The benchmark's settings: defaults are the sizes of issue 3, every one can be changed by a flag. */
final class BenchOptions {

    enum Phase { LATENCY, RAMP, FANOUT, IDLE, SOAK }

    /**
     * Services' JVM options: the launcher's defaults (serial GC, C1 only: seven JVMs' C2 compiler threads
     * keep two cores busy for minutes), but a large fixed young generation. With the launcher's
     * -Xms16m the young generation is a few MB, so each of gateway, router and llm-adapter stops for a
     * young GC every second or two, 5-60 ms on this machine, and a stream crossing all three sees gaps
     * over 40 ms (measured at c=40: 27 of 40 streams had one; with -Xmn256m, none).
     */
    static final String DEFAULT_JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms384m -Xmx512m -Xmn256m -Xss512k";
    /** The gateway also holds ~19,000 idle connections in the last phase: more old generation. */
    static final String DEFAULT_GATEWAY_JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms768m -Xmx1g -Xmn256m -Xss512k";

    int tokens = 64;
    int intervalMs = 20;
    int firstTokenMs = -1; // -1: one interval
    int gapLimitMs = 40;
    int c1Streams = 30;
    int concurrency = 500;
    int rampMs = 500;
    List<Integer> rampLevels = List.of(10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 3000, 4000);
    List<Integer> watchers = List.of(1, 100, 1000);
    int fanoutFirstTokenMs = 2000;
    int idleConnections = 19_000;
    int idleProcesses = 4;
    int warmupSeconds = 40;
    int warmupConcurrency = 40;
    int clientEventLoops = 2;
    int fakeEventLoops = 2;
    int connectInFlight = 256;
    int streamTimeoutSeconds = 60;
    long h2MaxConcurrentStreams = 100_000;
    int redisPoolWaiting;
    int rstFloodMax;
    int redisPoolSize;
    String javaOpts = DEFAULT_JAVA_OPTS;
    String gatewayJavaOpts = DEFAULT_GATEWAY_JAVA_OPTS;
    Set<Phase> phases = EnumSet.of(Phase.LATENCY, Phase.RAMP, Phase.FANOUT, Phase.IDLE);
    int soakSeconds = 120;
    int soakConcurrency = 40;
    Path jfrDir;
    boolean keepData;

    int firstTokenMs() {
        return firstTokenMs < 0 ? intervalMs : firstTokenMs;
    }

    int maxWatchers() {
        return watchers.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    int maxStreams() {
        int max = Math.max(concurrency, warmupConcurrency);
        for (int level : rampLevels) {
            max = Math.max(max, level);
        }
        return max;
    }

    boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                System.out.println(usage());
                System.exit(0);
            }
            if (flag.equals("--keep-data")) {
                o.keepData = true;
                continue;
            }
            if (i + 1 >= args.length) {
                fail("missing value after " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--tokens" -> o.tokens = positive(flag, value);
                case "--interval-ms" -> o.intervalMs = positive(flag, value);
                case "--first-token-ms" -> o.firstTokenMs = positive(flag, value);
                case "--gap-limit-ms" -> o.gapLimitMs = positive(flag, value);
                case "--c1-streams" -> o.c1Streams = positive(flag, value);
                case "--concurrency" -> o.concurrency = positive(flag, value);
                case "--ramp-ms" -> o.rampMs = nonNegative(flag, value);
                case "--ramp" -> o.rampLevels = list(flag, value);
                case "--watchers" -> o.watchers = list(flag, value);
                case "--fanout-first-token-ms" -> o.fanoutFirstTokenMs = positive(flag, value);
                case "--idle" -> o.idleConnections = positive(flag, value);
                case "--idle-processes" -> o.idleProcesses = positive(flag, value);
                case "--warmup-seconds" -> o.warmupSeconds = nonNegative(flag, value);
                case "--warmup-concurrency" -> o.warmupConcurrency = positive(flag, value);
                case "--client-event-loops" -> o.clientEventLoops = positive(flag, value);
                case "--fake-event-loops" -> o.fakeEventLoops = positive(flag, value);
                case "--connect-in-flight" -> o.connectInFlight = positive(flag, value);
                case "--stream-timeout-s" -> o.streamTimeoutSeconds = positive(flag, value);
                case "--h2-max-streams" -> o.h2MaxConcurrentStreams = nonNegative(flag, value);
                case "--redis-pool-waiting" -> o.redisPoolWaiting = nonNegative(flag, value);
                case "--redis-pool-size" -> o.redisPoolSize = nonNegative(flag, value);
                case "--rst-flood-max" -> o.rstFloodMax = nonNegative(flag, value);
                case "--java-opts" -> o.javaOpts = value.trim();
                case "--gateway-java-opts" -> o.gatewayJavaOpts = value.trim();
                case "--jfr" -> o.jfrDir = Path.of(value).toAbsolutePath();
                case "--phases" -> o.phases = phases(value);
                case "--soak-seconds" -> o.soakSeconds = positive(flag, value);
                case "--soak-c" -> o.soakConcurrency = positive(flag, value);
                default -> fail("unknown flag " + flag);
            }
        }
        return o;
    }

    static String usage() {
        return """
                Usage: deploy/bench/gateway.sh [flags]
                  Runs the packaged suite against a fake OpenAI-compatible upstream in this JVM and prints a table.
                  --phases latency,ramp,fanout,idle   which parts to run (default: these four)
                           soak                       steady rounds of --soak-c 40 streams for --soak-seconds 120
                                                      (to profile the services: perf, JFR, jcmd), printed per round
                  --tokens 64 --interval-ms 20         the fake's pacing; --first-token-ms (default: one interval)
                  --gap-limit-ms 40                    a "clean" stream has no inter-token gap above this
                  --c1-streams 30                      sequential streams at c=1 (each way: suite and direct)
                  --concurrency 500                    the second latency point
                  --ramp 10,20,30,40,50,75,100,150,200,300,500,1000,2000,3000,4000   levels, until one is not clean
                  --ramp-ms 500                        chats of one round start spread over this long
                  --watchers 1,100,1000                fan-out sizes; --fanout-first-token-ms 2000
                  --idle 19000 --idle-processes 4      idle WebSockets for heap per connection, from N client JVMs
                  --warmup-seconds 40 --warmup-concurrency 40   JIT warm-up (5 ms pacing, suite and direct)
                  --java-opts "%s"
                  --gateway-java-opts "%s"
                  --h2-max-streams 100000              QUARKUS_HTTP_LIMITS_MAX_CONCURRENT_STREAMS of the services (0: their default)
                  --rst-flood-max 0                    QUARKUS_HTTP_LIMITS_RST_FLOOD_MAX_RST_FRAME_PER_WINDOW of the services
                                                       (0: the services' own setting)
                  --redis-pool-waiting 0 --redis-pool-size 0   QUARKUS_REDIS_MAX_POOL_WAITING / _SIZE (0: the services' own)
                  --client-event-loops 2 --fake-event-loops 2 --connect-in-flight 256 --stream-timeout-s 60
                  --jfr DIR                            record JFR in gateway, router and llm-adapter during the ramp
                  --keep-data                          keep the run's data dir (logs) under deploy/bench/target/gateway-bench
                """.formatted(DEFAULT_JAVA_OPTS, DEFAULT_GATEWAY_JAVA_OPTS);
    }

    private static Set<Phase> phases(String value) {
        Set<Phase> set = EnumSet.noneOf(Phase.class);
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                try {
                    set.add(Phase.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    fail("unknown phase " + name + " (latency, ramp, fanout, idle, soak)");
                }
            }
        }
        return set;
    }

    private static List<Integer> list(String flag, String value) {
        List<Integer> values = new ArrayList<>();
        Arrays.stream(value.split(",")).filter(s -> !s.isBlank()).forEach(s -> values.add(positive(flag, s.trim())));
        if (values.isEmpty()) {
            fail(flag + " needs at least one number");
        }
        return List.copyOf(values);
    }

    private static int positive(String flag, String value) {
        int n = number(flag, value);
        if (n <= 0) {
            fail(flag + " must be positive");
        }
        return n;
    }

    private static int nonNegative(String flag, String value) {
        int n = number(flag, value);
        if (n < 0) {
            fail(flag + " must not be negative");
        }
        return n;
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            fail(flag + " takes a number, not " + value);
            return 0;
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.err.println(usage());
        System.exit(2);
    }
}
