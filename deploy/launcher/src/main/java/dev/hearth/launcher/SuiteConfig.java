package dev.hearth.launcher;

import dev.hearth.infra.FreePorts;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link Suite} needs to start: where the checkout and the data live, the ports,
 * the JVM options, the environment the services inherit.
 *
 * @param dataDir            logs go to {@code <dataDir>/logs}; an embedded PostgreSQL keeps its
 *                           data in {@code <dataDir>/postgres} when {@code persistentPostgres}; the
 *                           bootstrap API key is kept in {@code <dataDir>/bootstrap-api-key}
 *                           unless {@code environment} has HEARTH_BOOTSTRAP_API_KEY
 * @param environment        what the services inherit, and where infrastructure is looked up
 *                           (HEARTH_DB_HOST, HEARTH_REDIS_URL, HEARTH_MQTT_HOST...)
 * @param wyomingPorts       the Wyoming server ports of the services that have one (tts, stt)
 * @param redisPrefix        HEARTH_REDIS_PREFIX for the services, or null for their default
 * @param zigbeeBaseTopic    HEARTH_ZIGBEE_BASE_TOPIC for the services, or null for their default
 */
public record SuiteConfig(
        Path repoDir,
        Path dataDir,
        boolean persistentPostgres,
        Map<ServiceId, Integer> ports,
        Map<ServiceId, Integer> wyomingPorts,
        List<String> javaOpts,
        Map<ServiceId, List<String>> serviceJavaOpts,
        Duration readyTimeout,
        Duration stopTimeout,
        String databaseName,
        boolean cleanUpOnClose,
        String redisPrefix,
        String zigbeeBaseTopic,
        Map<String, String> environment,
        PrintStream out) {

    /**
     * Measured with deploy/bench/startup.sh on the 2-core build machine (medians of 3 interleaved
     * runs, seven services): JVM defaults (G1, C2) 28 s to all ready, 920 MB idle RSS in total;
     * C1 only ({@code TieredStopAtLevel=1}) 15 s, 790 MB - C2 compiler threads of seven JVMs
     * fight over two cores; plus serial GC and a small initial heap 15 s, 680 MB (serial GC without
     * {@code -Xms} touches a young generation sized from the machine's RAM: 970 MB). C1 code runs
     * hot paths slower than C2; a throughput benchmark should set HEARTH_JAVA_OPTS (replaces this
     * list) or HEARTH_JAVA_OPTS_GATEWAY etc. (one service).
     */
    public static final List<String> DEFAULT_JAVA_OPTS =
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms16m", "-Xmx256m", "-Xss512k");
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);
    /** Above the gateway's shutdown grace (20 s), so running streams may finish before a kill. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_DATABASE = "hearth";

    public SuiteConfig {
        Objects.requireNonNull(repoDir, "repoDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Map<ServiceId, Integer> portMap = new EnumMap<>(ServiceId.class);
        portMap.putAll(ports);
        ports = Collections.unmodifiableMap(portMap);
        for (ServiceId service : ServiceId.values()) {
            if (!ports.containsKey(service)) {
                throw new IllegalArgumentException("no port for " + service.shortName());
            }
        }
        Map<ServiceId, Integer> wyomingMap = new EnumMap<>(ServiceId.class);
        wyomingMap.putAll(wyomingPorts);
        wyomingPorts = Collections.unmodifiableMap(wyomingMap);
        for (ServiceId service : ServiceId.values()) {
            if (service.servesWyoming() != wyomingPorts.containsKey(service)) {
                throw new IllegalArgumentException("a Wyoming port for tts and stt, and only for them: " + wyomingPorts);
            }
        }
        javaOpts = List.copyOf(javaOpts);
        Map<ServiceId, List<String>> perService = new EnumMap<>(ServiceId.class);
        serviceJavaOpts.forEach((service, opts) -> perService.put(service, List.copyOf(opts)));
        serviceJavaOpts = Collections.unmodifiableMap(perService);
        environment = Map.copyOf(environment);
    }

    public int port(ServiceId service) {
        return ports.get(service);
    }

    /** The port of the service's Wyoming server; see {@link ServiceId#defaultWyomingPort()}. */
    public int wyomingPort(ServiceId service) {
        if (!service.servesWyoming()) {
            throw new IllegalArgumentException(service.shortName() + " has no Wyoming server");
        }
        return wyomingPorts.get(service);
    }

    /** The service's own JVM options if it has some (HEARTH_JAVA_OPTS_GATEWAY...), else the common ones. */
    public List<String> javaOpts(ServiceId service) {
        return serviceJavaOpts.getOrDefault(service, javaOpts);
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path logFile(String name) {
        return logDir().resolve(name + ".log");
    }

    public static Builder builder(Path repoDir, Path dataDir) {
        return new Builder(repoDir, dataDir);
    }

    /** The launcher's configuration: defaults, overridden by HEARTH_* variables of {@code env}. */
    public static SuiteConfig fromLauncherEnv(Path repoDir, Map<String, String> env, PrintStream out) {
        Path dataDir = env.containsKey("HEARTH_DATA_DIR") && !env.get("HEARTH_DATA_DIR").isBlank()
                ? Path.of(env.get("HEARTH_DATA_DIR"))
                : Path.of(System.getProperty("user.home"), ".hearth");
        Builder builder = builder(repoDir, dataDir.toAbsolutePath()).persistentPostgres(true).out(out);
        for (ServiceId service : ServiceId.values()) {
            String port = env.get(service.portEnv());
            if (port != null && !port.isBlank()) {
                builder.port(service, Integer.parseInt(port.trim()));
            }
            String wyoming = service.servesWyoming() ? env.get(service.wyomingPortEnv()) : null;
            if (wyoming != null && !wyoming.isBlank()) {
                builder.wyomingPort(service, Integer.parseInt(wyoming.trim()));
            }
        }
        String javaOpts = env.get("HEARTH_JAVA_OPTS");
        if (javaOpts != null) {
            builder.javaOpts(splitOpts(javaOpts));
        }
        for (ServiceId service : ServiceId.values()) {
            String opts = env.get(javaOptsEnv(service));
            if (opts != null) {
                builder.javaOpts(service, splitOpts(opts));
            }
        }
        String timeout = env.get("HEARTH_READY_TIMEOUT_SECONDS");
        if (timeout != null && !timeout.isBlank()) {
            builder.readyTimeout(Duration.ofSeconds(Long.parseLong(timeout.trim())));
        }
        String database = env.get("HEARTH_DB_NAME");
        if (database != null && !database.isBlank()) {
            builder.databaseName(database.trim());
        }
        Map<String, String> inherited = new HashMap<>(env);
        // The launcher's own settings: a service with a strict @ConfigMapping on hearth.* must not see them.
        List.of("HEARTH_HOME", "HEARTH_DATA_DIR", "HEARTH_JAVA_OPTS", "HEARTH_READY_TIMEOUT_SECONDS")
                .forEach(inherited::remove);
        for (ServiceId service : ServiceId.values()) {
            inherited.remove(javaOptsEnv(service));
        }
        return builder.environment(inherited).build();
    }

    /** HEARTH_JAVA_OPTS_GATEWAY, HEARTH_JAVA_OPTS_LLM_ADAPTER, ... */
    public static String javaOptsEnv(ServiceId service) {
        return "HEARTH_JAVA_OPTS_" + service.name();
    }

    /** Whitespace-separated, no quoting: JVM options rarely contain spaces. */
    private static List<String> splitOpts(String opts) {
        return opts.isBlank() ? List.of() : Arrays.asList(opts.trim().split("\\s+"));
    }

    public static final class Builder {
        private final Path repoDir;
        private final Path dataDir;
        private boolean persistentPostgres;
        private final Map<ServiceId, Integer> ports = new EnumMap<>(ServiceId.class);
        private final Map<ServiceId, Integer> wyomingPorts = new EnumMap<>(ServiceId.class);
        private List<String> javaOpts = DEFAULT_JAVA_OPTS;
        private final Map<ServiceId, List<String>> serviceJavaOpts = new EnumMap<>(ServiceId.class);
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private String databaseName = DEFAULT_DATABASE;
        private boolean cleanUpOnClose;
        private String redisPrefix;
        private String zigbeeBaseTopic;
        private final Map<String, String> environment = new HashMap<>(System.getenv());
        private PrintStream out = System.out;

        private Builder(Path repoDir, Path dataDir) {
            this.repoDir = repoDir;
            this.dataDir = dataDir;
            for (ServiceId service : ServiceId.values()) {
                ports.put(service, service.defaultPort());
                if (service.servesWyoming()) {
                    wyomingPorts.put(service, service.defaultWyomingPort());
                }
            }
        }

        public Builder persistentPostgres(boolean persistent) {
            this.persistentPostgres = persistent;
            return this;
        }

        public Builder port(ServiceId service, int port) {
            ports.put(service, port);
            return this;
        }

        public Builder wyomingPort(ServiceId service, int port) {
            if (!service.servesWyoming()) {
                throw new IllegalArgumentException(service.shortName() + " has no Wyoming server");
            }
            wyomingPorts.put(service, port);
            return this;
        }

        /** Free ports for every service (and the Wyoming servers), distinct from each other: what tests use. */
        public Builder randomPorts() {
            int count = ServiceId.values().length;
            int[] free = FreePorts.pickDistinct(count + wyomingPorts.size());
            for (ServiceId service : ServiceId.values()) {
                ports.put(service, free[service.ordinal()]);
                if (service.servesWyoming()) {
                    wyomingPorts.put(service, free[count++]);
                }
            }
            return this;
        }

        public Builder javaOpts(List<String> opts) {
            this.javaOpts = opts;
            return this;
        }

        public Builder javaOpts(ServiceId service, List<String> opts) {
            serviceJavaOpts.put(service, opts);
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        public Builder databaseName(String name) {
            this.databaseName = name;
            return this;
        }

        /** Drop the database and delete the Redis prefix's keys on close: for tests and benchmarks. */
        public Builder cleanUpOnClose(boolean cleanUp) {
            this.cleanUpOnClose = cleanUp;
            return this;
        }

        public Builder redisPrefix(String prefix) {
            this.redisPrefix = prefix;
            return this;
        }

        public Builder zigbeeBaseTopic(String topic) {
            this.zigbeeBaseTopic = topic;
            return this;
        }

        /** Replaces the inherited environment (default: this JVM's). */
        public Builder environment(Map<String, String> env) {
            environment.clear();
            environment.putAll(env);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder withoutEnv(String name) {
            environment.remove(name);
            return this;
        }

        public Builder out(PrintStream stream) {
            this.out = stream;
            return this;
        }

        public SuiteConfig build() {
            return new SuiteConfig(repoDir, dataDir, persistentPostgres, ports, wyomingPorts, javaOpts, serviceJavaOpts,
                    readyTimeout, stopTimeout,
                    databaseName, cleanUpOnClose, redisPrefix, zigbeeBaseTopic, environment, out);
        }
    }
}
