package dev.hearth.config.aggregator;

import dev.hearth.config.McpServer;
import dev.hearth.config.config.AggregatorConfig;
import dev.hearth.config.repository.McpServerRepository;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The aggregator: one {@link UpstreamConnection} per stored MCP server, following the stored
 * definitions (at once after a write through the admin API or a change heard from another replica,
 * and on a timer as a safety net), and the merged catalog of their tools. Every change is applied
 * by re-reading the stored servers, one read at a time: a read that began before a write can then
 * never be applied after it (which would drop or revert the server just written). {@link #revision()} grows whenever that catalog may have
 * changed, so tool listings can carry a version that changes with it.
 */
@ApplicationScoped
public class UpstreamRegistry {

    private static final Logger LOG = Logger.getLogger(UpstreamRegistry.class);

    private final McpServerRepository repository;
    private final UpstreamClientFactory clients;
    private final AggregatorConfig config;
    private final Map<String, UpstreamConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong revision = new AtomicLong();
    private Disposable resyncTimer;
    // Guarded by this: callers waiting for a read that starts after their call, and whether one runs.
    private final List<java.util.concurrent.CompletableFuture<Void>> waitingForResync = new ArrayList<>();
    private boolean resyncRunning;

    public UpstreamRegistry(McpServerRepository repository, UpstreamClientFactory clients, AggregatorConfig config) {
        this.repository = repository;
        this.clients = clients;
        this.config = config;
    }

    // Connections start in the background: an upstream that is slow or down does not delay startup.
    void onStart(@Observes StartupEvent event) {
        resync().await().atMost(Duration.ofSeconds(60));
        Duration every = config.resyncInterval();
        resyncTimer = Flux.interval(every, every).subscribe(tick -> resync().subscribe().with(ok -> { },
                e -> LOG.warnf("MCP servers not resynced: %s", e.getMessage())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (resyncTimer != null) {
            resyncTimer.dispose();
        }
        List<Mono<Void>> stops = new ArrayList<>();
        synchronized (this) {
            connections.values().forEach(c -> stops.add(c.stop()));
            connections.clear();
        }
        // Waited for, so stdio processes do not outlive the service.
        Mono.when(stops).block(Duration.ofSeconds(15));
    }

    /**
     * Follows every stored server, as stored after this call: completes once a read of the servers
     * that began after the call has been applied. Reads run one at a time; callers arriving while
     * one runs share the next.
     */
    public Uni<Void> resync() {
        java.util.concurrent.CompletableFuture<Void> applied = new java.util.concurrent.CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waitingForResync.add(applied);
            start = !resyncRunning;
            resyncRunning = true;
        }
        if (start) {
            readAndFollow();
        }
        return Uni.createFrom().completionStage(applied);
    }

    private void readAndFollow() {
        List<java.util.concurrent.CompletableFuture<Void>> batch;
        synchronized (this) {
            batch = List.copyOf(waitingForResync);
            waitingForResync.clear();
        }
        repository.list().subscribe().with(
                servers -> {
                    follow(servers);
                    resyncDone(batch, null);
                },
                failure -> resyncDone(batch, failure));
    }

    private void resyncDone(List<java.util.concurrent.CompletableFuture<Void>> batch, Throwable failure) {
        batch.forEach(waiter -> {
            if (failure == null) {
                waiter.complete(null);
            } else {
                waiter.completeExceptionally(failure);
            }
        });
        synchronized (this) {
            if (waitingForResync.isEmpty()) {
                resyncRunning = false;
                return;
            }
        }
        readAndFollow();
    }

    synchronized void follow(Collection<McpServer> servers) {
        Set<String> stored = new HashSet<>();
        servers.forEach(server -> {
            stored.add(server.name());
            follow(server);
        });
        List.copyOf(connections.keySet()).stream().filter(name -> !stored.contains(name)).forEach(this::forget);
    }

    /** Follows one server's new definition: tool switches in place, anything else with a new connection. */
    synchronized void follow(McpServer server) {
        UpstreamConnection running = connections.get(server.name());
        if (running != null && running.server().sameConnectionAs(server)) {
            running.disabledTools(server.disabledTools());
            return;
        }
        if (running != null) {
            running.stop().subscribe(null, e -> { });
        }
        UpstreamConnection connection = new UpstreamConnection(server, clients, config, revision::incrementAndGet);
        connections.put(server.name(), connection);
        revision.incrementAndGet();
        connection.start();
    }

    /** Stops and drops a deleted server. */
    synchronized void forget(String name) {
        UpstreamConnection running = connections.remove(name);
        if (running != null) {
            running.stop().subscribe(null, e -> { });
            revision.incrementAndGet();
        }
    }

    /** Every tool of every ready, enabled upstream, but those switched off. */
    public List<UpstreamTool> tools() {
        List<UpstreamTool> tools = new ArrayList<>();
        connections.values().forEach(c -> tools.addAll(c.offered()));
        return tools;
    }

    public Optional<UpstreamStatus> status(String server) {
        return Optional.ofNullable(connections.get(server)).map(UpstreamConnection::status);
    }

    /** Whether {@link #call} would route this name to an upstream. */
    public boolean routes(String namespacedName) {
        return route(namespacedName) != null;
    }

    /**
     * Calls {@code <server>__<tool>}; empty when the catalog has no such tool (unknown or disabled
     * server or tool, or a tool a ready upstream does not list). A known server that is not ready
     * gets the call, which fails with the reason, rather than its tools pretending not to exist.
     */
    public Optional<Mono<McpSchema.CallToolResult>> call(String namespacedName, Map<String, Object> arguments) {
        UpstreamConnection connection = route(namespacedName);
        if (connection == null) {
            return Optional.empty();
        }
        String tool = namespacedName.substring(namespacedName.indexOf(McpServer.SEPARATOR) + McpServer.SEPARATOR.length());
        return Optional.of(connection.call(tool, arguments));
    }

    private UpstreamConnection route(String namespacedName) {
        int separator = namespacedName.indexOf(McpServer.SEPARATOR);
        if (separator <= 0) {
            return null;
        }
        UpstreamConnection connection = connections.get(namespacedName.substring(0, separator));
        String tool = namespacedName.substring(separator + McpServer.SEPARATOR.length());
        if (connection == null || !connection.server().enabled() || connection.disabledTools().contains(tool)) {
            return null;
        }
        UpstreamStatus status = connection.status();
        if (status.state() == UpstreamState.READY && status.tools().stream().noneMatch(t -> t.name().equals(tool))) {
            return null;
        }
        return connection;
    }

    /** Grows whenever the merged catalog may have changed. */
    public long revision() {
        return revision.get();
    }
}
