package dev.hearth.launcher;

import dev.hearth.infra.TcpProbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The running suite on one host: infrastructure found or started, seven service processes,
 * all ready. {@link #close()} stops everything it started, in order; the launcher and the
 * end-to-end tests both use it.
 */
public final class Suite implements AutoCloseable {

    private final SuiteConfig config;
    private Infrastructure infra;
    private BootstrapApiKey apiKey;
    private final List<ServiceProcess> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<ServiceId, Duration> readyTimes = new EnumMap<>(ServiceId.class);
    private final AtomicBoolean closing = new AtomicBoolean();
    private Watchdog watchdog;
    private boolean closed;

    private Suite(SuiteConfig config) {
        this.config = config;
    }

    /** Starts the suite and waits until every service is ready; see {@link #start()}. */
    public static Suite start(SuiteConfig config) {
        return create(config).start();
    }

    /**
     * A suite not started yet, so a caller can arrange for {@link #close()} (a shutdown hook)
     * before anything runs: a close during {@link #start()} stops whatever was started so far.
     */
    public static Suite create(SuiteConfig config) {
        return new Suite(config);
    }

    /**
     * Finds or starts the infrastructure, starts the services, waits until every one is ready.
     *
     * @throws SuiteStartException when a service exits or is not ready in time; everything
     *                             started so far has been stopped again
     * @throws IllegalStateException when a service jar is not built or a port is taken
     * @throws CancellationException when {@link #close()} was called meanwhile
     */
    public Suite start() {
        List<ServiceId> missing = new ServiceJars(config.repoDir()).missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Not built: " + missing.stream().map(ServiceId::module)
                    .collect(Collectors.joining(", ")) + " (run ./mvnw -B -DskipTests install in " + config.repoDir() + ")");
        }
        List<String> busy = Arrays.stream(ServiceId.values())
                .filter(service -> TcpProbe.isOpen(ServiceEnvironment.LOCALHOST, config.port(service)))
                .map(service -> config.port(service) + " (" + service.shortName() + ", " + service.portEnv() + ")")
                .collect(Collectors.toList());
        if (!busy.isEmpty()) {
            // Cheaper and clearer than a service dying on "address already in use".
            throw new IllegalStateException("Port already in use: " + String.join(", ", busy)
                    + ". Is Hearth already running? Stop it or choose other ports.");
        }
        for (ServiceId service : ServiceId.values()) {
            if (service.servesWyoming() && TcpProbe.isOpen(ServiceEnvironment.LOCALHOST, config.wyomingPort(service))) {
                // Often a Wyoming server of Home Assistant's own (wyoming-piper, wyoming-faster-whisper) on this
                // host: the service runs without its Wyoming server rather than not at all.
                config.out().printf("Warning: port %d is taken (another Wyoming server?): %s runs without its Wyoming"
                        + " server; set %s to another port to have it%n", config.wyomingPort(service),
                        service.shortName(), service.wyomingPortEnv());
            }
        }
        try {
            Files.createDirectories(config.logDir());
            apiKey = BootstrapApiKey.resolve(config.environment(), config.dataDir());
            startInfrastructure();
            launchAll();
            awaitReady();
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot create " + config.logDir(), e);
        } catch (RuntimeException e) {
            boolean closedMeanwhile = closing.get();
            close();
            if (closedMeanwhile && !(e instanceof CancellationException)) {
                // Services exit because someone is stopping the suite, not because they failed.
                CancellationException cancelled = new CancellationException("the suite was stopped while starting");
                cancelled.initCause(e);
                throw cancelled;
            }
            throw e;
        }
    }

    // Each step that creates something runs under the lock close() takes, so a concurrent close
    // either happens before it (and the step is skipped) or after it (and stops what it made).
    private synchronized void startInfrastructure() {
        ensureNotClosing();
        infra = Infrastructure.start(config);
        config.out().printf("Infrastructure: %s, %s, %s; database %s%n", infra.postgres(), infra.redis(),
                infra.mqtt(), infra.databaseName());
    }

    private void launchAll() {
        ServiceLauncher launcher;
        synchronized (this) {
            launcher = new ServiceLauncher(config, infra, apiKey);
        }
        for (ServiceId service : ServiceId.values()) {
            synchronized (this) {
                ensureNotClosing();
                processes.add(launcher.start(service));
            }
        }
        synchronized (this) {
            ensureNotClosing();
            watchdog = Watchdog.start(processes.stream().map(ServiceProcess::pid).collect(Collectors.toList()),
                    infra.embeddedPids(), config.stopTimeout()).orElse(null);
        }
        config.out().printf("Started %d services (logs in %s), waiting for readiness...%n",
                processes.size(), config.logDir());
    }

    private void ensureNotClosing() {
        if (closing.get()) {
            throw new CancellationException("the suite is being stopped");
        }
    }

    private void awaitReady() {
        readyTimes.putAll(new ReadinessWaiter().awaitAll(processes, config.readyTimeout(), (process, took) ->
                config.out().printf("  %-12s ready in %5.1f s  (port %d, pid %d)%n", process.service().shortName(),
                        took.toMillis() / 1000.0, process.port(), process.pid())));
    }

    public SuiteConfig config() {
        return config;
    }

    public Infrastructure infrastructure() {
        return infra;
    }

    public int port(ServiceId service) {
        return config.port(service);
    }

    public String gatewayHttpUrl() {
        return "http://localhost:" + port(ServiceId.GATEWAY);
    }

    /** Where Home Assistant's Wyoming integration finds speech to text and text to speech: {@code host:port}. */
    public String wyomingAddresses(String host) {
        return "stt " + host + ":" + config.wyomingPort(ServiceId.STT) + ", tts " + host + ":"
                + config.wyomingPort(ServiceId.TTS);
    }

    public String gatewayWebSocketUrl() {
        return "ws://localhost:" + port(ServiceId.GATEWAY) + "/ws/chat";
    }

    /**
     * The bootstrap admin API key (admin + chat scopes): what clients present as
     * {@code Authorization: Bearer <key>}, and what creates further keys on the admin API.
     */
    public String apiKey() {
        return bootstrapApiKey().key();
    }

    /** The file keeping {@link #apiKey()}; empty when it came from HEARTH_BOOTSTRAP_API_KEY. */
    public Optional<java.nio.file.Path> apiKeyFile() {
        return bootstrapApiKey().file();
    }

    public BootstrapApiKey bootstrapApiKey() {
        if (apiKey == null) {
            throw new IllegalStateException("the suite has not been started");
        }
        return apiKey;
    }

    /** mcp-config-service's admin API for API keys. */
    public String adminApiUrl() {
        return "http://localhost:" + port(ServiceId.MCP_CONFIG) + "/admin/v1/api-keys";
    }

    /**
     * Starts one more instance of {@code service} on a free port with the same environment (the
     * same Redis, database and peers), waits until it is ready, and stops it with the suite. For
     * gateways this is a second replica: clients may move between them.
     */
    public ServiceProcess startReplica(ServiceId service) {
        ServiceProcess replica;
        synchronized (this) {
            ensureNotClosing();
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            replica = new ServiceLauncher(config, infra, apiKey).start(service, port, service.shortName() + "-" + port);
            processes.add(replica);
        }
        new ReadinessWaiter().awaitAll(List.of(replica), config.readyTimeout(), (process, took) ->
                config.out().printf("  %-12s replica ready in %5.1f s  (port %d, pid %d)%n", process.service().shortName(),
                        took.toMillis() / 1000.0, process.port(), process.pid()));
        return replica;
    }

    public List<ServiceProcess> processes() {
        return Collections.unmodifiableList(processes);
    }

    public Optional<ServiceProcess> process(ServiceId service) {
        return processes.stream().filter(p -> p.service() == service).findFirst();
    }

    /** Time from process start to the first 200 on /q/health/ready, per service. */
    public Map<ServiceId, Duration> readyTimes() {
        return Collections.unmodifiableMap(readyTimes);
    }

    /** Every process of the suite now alive: services, what they started, the watchdog, embedded servers. */
    public List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        processes.forEach(p -> tree.addAll(p.treeSnapshot()));
        if (watchdog != null) {
            ProcessHandle.of(watchdog.pid()).ifPresent(tree::add);
        }
        if (infra != null) {
            infra.embeddedPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(tree::add));
        }
        return tree;
    }

    /** Completes with the first service that exits; during {@link #close()} that is expected. */
    public CompletableFuture<ServiceProcess> firstExit() {
        return CompletableFuture.anyOf(processes.stream()
                        .map(p -> p.process().onExit().thenApply(exited -> p))
                        .toArray(CompletableFuture[]::new))
                .thenApply(ServiceProcess.class::cast);
    }

    public boolean isClosing() {
        return closing.get();
    }

    /** Stops the services (gateway first), then the embedded servers. Safe to call more than once. */
    @Override
    public void close() {
        closing.set(true);
        // A second caller (say the shutdown hook while main is closing) waits for the first to finish.
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopEverything();
        }
    }

    private void stopEverything() {
        try {
            new ProcessStopper(config.stopTimeout()).stop(processes);
        } finally {
            if (watchdog != null) {
                watchdog.close();
            }
            if (infra != null) {
                infra.close();
            }
        }
    }
}
