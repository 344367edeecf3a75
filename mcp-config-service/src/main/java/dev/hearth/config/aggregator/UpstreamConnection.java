package dev.hearth.config.aggregator;

import dev.hearth.config.McpServer;
import dev.hearth.config.config.AggregatorConfig;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One managed connection to one upstream MCP server: initialize, list every page of tools, follow
 * {@code notifications/tools/list_changed} (or poll a server that does not advertise it; a server
 * that does is pinged at the same interval so a dead one is noticed), reconnect with a doubling
 * backoff after a failure. A session the server no longer knows (404, e.g. it restarted) is
 * re-initialized by the SDK; the request that met it is sent once more and the tools re-listed.
 * Work runs on Reactor's threads (the SDK's), never on a Vert.x event loop.
 */
final class UpstreamConnection {

    private static final Logger LOG = Logger.getLogger(UpstreamConnection.class);
    /** A server paging forever (a cursor loop) is cut off here. */
    private static final int MAX_PAGES = 100;
    /** How the SDK fails requests pending on a session it dropped (McpClientSession, 2.1.0). */
    private static final String SESSION_TERMINATED = "MCP session with server terminated";

    private final McpServer server;
    private final UpstreamClientFactory clients;
    private final AggregatorConfig config;
    /** Told whenever the tools this connection offers may have changed. */
    private final Runnable onCatalogChange;

    // Guarded by this. A callback of an attempt whose client is no longer current is stale and ignored.
    private McpAsyncClient client;
    private UpstreamState state;
    private List<McpSchema.Tool> tools = List.of();
    private Instant lastRefresh;
    private String lastError = "";
    private Disposable timer;
    private int failures;
    private boolean stopped;
    private volatile Set<String> disabledTools;

    UpstreamConnection(McpServer server, UpstreamClientFactory clients, AggregatorConfig config, Runnable onCatalogChange) {
        this.server = server;
        this.clients = clients;
        this.config = config;
        this.onCatalogChange = onCatalogChange;
        this.disabledTools = server.disabledTools();
        this.state = server.enabled() ? UpstreamState.CONNECTING : UpstreamState.DISABLED;
    }

    McpServer server() {
        return server;
    }

    void start() {
        if (server.enabled()) {
            connect();
        }
    }

    private void connect() {
        McpAsyncClient attempt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            state = UpstreamState.CONNECTING;
            try {
                attempt = clients.create(server, this::refresh);
            } catch (RuntimeException e) {
                client = null;
                failed(null, e);
                return;
            }
            client = attempt;
        }
        // Starting a stdio process blocks: keep it off whatever thread called us.
        Mono.defer(attempt::initialize)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(init -> listAll(attempt).map(listed -> new Initialized(init, listed)))
                .subscribe(ok -> ready(attempt, ok), failure -> failed(attempt, failure));
    }

    private record Initialized(McpSchema.InitializeResult result, List<McpSchema.Tool> tools) {
    }

    private void ready(McpAsyncClient attempt, Initialized initialized) {
        synchronized (this) {
            if (stopped || client != attempt) {
                attempt.closeGracefully().subscribe(null, e -> { });
                return;
            }
            McpSchema.ServerCapabilities.ToolCapabilities capability = initialized.result().capabilities() == null
                    ? null : initialized.result().capabilities().tools();
            boolean notifies = capability != null && Boolean.TRUE.equals(capability.listChanged());
            state = UpstreamState.READY;
            tools = List.copyOf(initialized.tools());
            lastRefresh = Instant.now();
            lastError = "";
            failures = 0;
            Duration every = Duration.ofSeconds(server.pollIntervalSeconds());
            dispose();
            timer = Flux.interval(every, every).subscribe(tick -> {
                if (notifies) {
                    check(attempt);
                } else {
                    refresh();
                }
            });
            LOG.infof("MCP server '%s' ready: %d tools (%s)", server.name(), tools.size(),
                    notifies ? "follows tools/list_changed" : "polled every " + every.toSeconds() + "s");
        }
        onCatalogChange.run();
    }

    /** Re-lists the tools: on a change notification, a poll, or after a session was re-initialized. */
    void refresh() {
        McpAsyncClient current;
        synchronized (this) {
            if (stopped || state != UpstreamState.READY) {
                return;
            }
            current = client;
        }
        retryOnSessionLoss(current, this::listAll, false).subscribe(listed -> {
            boolean changed;
            synchronized (this) {
                if (stopped || client != current) {
                    return;
                }
                changed = !tools.equals(listed);
                tools = List.copyOf(listed);
                lastRefresh = Instant.now();
            }
            if (changed) {
                LOG.infof("MCP server '%s' now lists %d tools", server.name(), listed.size());
                onCatalogChange.run();
            }
        }, failure -> failed(current, failure));
    }

    private void check(McpAsyncClient current) {
        retryOnSessionLoss(current, McpAsyncClient::ping, true).subscribe(ok -> { }, failure -> failed(current, failure));
    }

    /** Calls a tool; fails with {@link UpstreamUnavailableException} when the upstream cannot be reached. */
    Mono<McpSchema.CallToolResult> call(String tool, java.util.Map<String, Object> arguments) {
        McpAsyncClient current;
        synchronized (this) {
            if (state != UpstreamState.READY || client == null) {
                return Mono.error(new UpstreamUnavailableException("MCP server '" + server.name() + "' is not connected ("
                        + state.name().toLowerCase() + (lastError.isEmpty() ? "" : ": " + lastError) + ")"));
            }
            current = client;
        }
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder().name(tool).arguments(arguments).build();
        return retryOnSessionLoss(current, c -> c.callTool(request), true)
                .timeout(config.callTimeout())
                .onErrorMap(e -> !(e instanceof McpError) && !(e instanceof TimeoutException), e -> {
                    // The transport failed: the upstream is gone or talks nonsense; reconnect.
                    failed(current, e);
                    return new UpstreamUnavailableException("MCP server '" + server.name() + "' failed: " + describe(e));
                });
    }

    /** Runs an operation; when the server had lost our session, once more on the fresh one (the SDK re-initializes). */
    private <T> Mono<T> retryOnSessionLoss(McpAsyncClient current, Function<McpAsyncClient, Mono<T>> operation,
            boolean refreshAfter) {
        return Mono.defer(() -> operation.apply(current)).onErrorResume(UpstreamConnection::sessionLost, e -> {
            LOG.infof("MCP server '%s' lost our session; re-initializing", server.name());
            Mono<T> again = Mono.defer(() -> operation.apply(current));
            return refreshAfter ? again.doOnSuccess(ok -> refresh()) : again;
        });
    }

    /**
     * The server answered 404 for our session: the SDK raises that on the request that met it, or
     * fails the requests pending on the session it then drops with a plain "terminated" error.
     * Either way the request was not run, so sending it again is safe.
     */
    static boolean sessionLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpTransportSessionNotFoundException
                    || SESSION_TERMINATED.equals(cause.getMessage())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private Mono<List<McpSchema.Tool>> listAll(McpAsyncClient c) {
        return c.listTools(McpSchema.FIRST_PAGE)
                .expand(page -> page.nextCursor() == null || page.nextCursor().isEmpty() ? Mono.empty()
                        : c.listTools(page.nextCursor()))
                .take(MAX_PAGES)
                .concatMapIterable(page -> page.tools() == null ? List.<McpSchema.Tool>of() : page.tools())
                .collectList()
                .timeout(config.requestTimeout());
    }

    private void failed(McpAsyncClient attempt, Throwable failure) {
        boolean hadTools;
        synchronized (this) {
            if (stopped || client != attempt) {
                return;
            }
            if (attempt != null) {
                attempt.closeGracefully().subscribe(null, e -> { });
            }
            client = null;
            hadTools = state == UpstreamState.READY && !tools.isEmpty();
            state = UpstreamState.FAILED;
            tools = List.of();
            lastError = describe(failure);
            failures++;
            long initial = config.reconnectInitialBackoff().toMillis();
            long wait = Math.min(config.reconnectMaxBackoff().toMillis(), initial << Math.min(failures - 1, 20));
            dispose();
            timer = Mono.delay(Duration.ofMillis(wait)).subscribe(x -> connect());
            LOG.warnf("MCP server '%s' failed (%s); reconnecting in %d ms", server.name(), lastError, wait);
        }
        if (hadTools) {
            onCatalogChange.run();
        }
    }

    /** Follows the tool switches without reconnecting. */
    void disabledTools(Set<String> disabled) {
        boolean changed = !disabled.equals(disabledTools);
        disabledTools = Set.copyOf(disabled);
        if (changed) {
            onCatalogChange.run();
        }
    }

    Set<String> disabledTools() {
        return disabledTools;
    }

    /** The tools it offers now: none unless ready, without the disabled ones. */
    synchronized List<UpstreamTool> offered() {
        if (state != UpstreamState.READY) {
            return List.of();
        }
        return tools.stream().filter(t -> !disabledTools.contains(t.name())).map(t -> new UpstreamTool(server.name(), t))
                .toList();
    }

    synchronized UpstreamStatus status() {
        return new UpstreamStatus(server.name(), state, tools, lastRefresh, lastError);
    }

    /** Closes the session and, for stdio, ends the process; completes when done. */
    Mono<Void> stop() {
        McpAsyncClient current;
        synchronized (this) {
            stopped = true;
            dispose();
            current = client;
            client = null;
        }
        return current == null ? Mono.empty() : current.closeGracefully()
                .timeout(Duration.ofSeconds(10))
                .onErrorResume(e -> {
                    current.close();
                    return Mono.empty();
                });
    }

    private void dispose() {
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }

    static String describe(Throwable failure) {
        Throwable cause = failure;
        // Reactor and the SDK wrap the interesting failure ("Client failed to initialize...").
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String top = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (cause == failure) {
            return top;
        }
        String root = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return top + ": " + (cause instanceof java.net.ConnectException ? "connection refused" : root);
    }
}
