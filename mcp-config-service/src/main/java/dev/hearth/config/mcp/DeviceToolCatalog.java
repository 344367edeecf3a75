package dev.hearth.config.mcp;

import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc.MutinyToolServiceStub;
import dev.hearth.proto.v1.ToolSpec;
import io.grpc.Status;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The home's devices as tools: zigbee-service turns each device's Zigbee2MQTT {@code exposes} into
 * a JSON Schema tool ({@code hearth.v1.ToolService} on its port); this catalog offers them as
 * {@code zigbee__<device>} both to the router (the gRPC tool catalog) and over MCP, and routes
 * their calls back. The list is read at start and every {@code tools-refresh-interval}; a listing
 * that fails keeps the last one (calls then say {@code zigbee_unavailable}). {@link #revision()}
 * grows whenever the set of device tools changes.
 */
@ApplicationScoped
public class DeviceToolCatalog {

    public static final String PREFIX = "zigbee__";
    /** The name external MCP servers may not take: it would mix their tools with the devices'. */
    public static final String RESERVED_SERVER_NAME = "zigbee";

    private static final Logger LOG = Logger.getLogger(DeviceToolCatalog.class);

    private final MutinyToolServiceStub zigbee;
    private final McpConfig.Zigbee config;
    private final ToolManager mcpTools;
    private final AtomicLong revision = new AtomicLong();
    private volatile Map<String, ToolSpec> tools = Map.of();
    private volatile long zigbeeVersion = Long.MIN_VALUE;
    private volatile boolean warned;
    private Cancellable refresher;

    public DeviceToolCatalog(@GrpcClient("zigbee") MutinyToolServiceStub zigbee, McpConfig config, ToolManager mcpTools) {
        this.zigbee = zigbee;
        this.config = config.zigbee();
        this.mcpTools = mcpTools;
    }

    void onStart(@Observes StartupEvent event) {
        refresher = Multi.createFrom().ticks().startingAfter(java.time.Duration.ofMillis(1)).every(config.toolsRefreshInterval())
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> refresh().onFailure().recoverWithNull())
                .subscribe().with(ignored -> { });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.cancel();
        }
    }

    /** Lists zigbee-service's device tools again; the catalog changes only when they did. */
    public Uni<Void> refresh() {
        return zigbee.withDeadlineAfter(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .listTools(ListToolsRequest.getDefaultInstance())
                .invoke(this::apply)
                .onFailure().invoke(failure -> {
                    if (!warned) {
                        warned = true;
                        Status status = Status.fromThrowable(failure);
                        LOG.infof("device tools not listed (zigbee-service: %s %s); retrying every %s", status.getCode(),
                                status.getDescription() == null ? "" : status.getDescription(), config.toolsRefreshInterval());
                    }
                })
                .replaceWithVoid();
    }

    private synchronized void apply(ListToolsResponse listed) {
        warned = false;
        if (listed.getVersion() == zigbeeVersion && listed.getToolsCount() == tools.size()) {
            return;
        }
        Map<String, ToolSpec> next = new LinkedHashMap<>();
        for (ToolSpec spec : listed.getToolsList()) {
            next.put(PREFIX + spec.getName(), spec.toBuilder().setName(PREFIX + spec.getName()).build());
        }
        Map<String, ToolSpec> before = tools;
        tools = Map.copyOf(next);
        zigbeeVersion = listed.getVersion();
        if (!before.equals(tools)) {
            revision.incrementAndGet();
            syncMcp(before, next);
            LOG.infof("%d device tools from zigbee-service", next.size());
        }
    }

    /** What MCP clients see follows the same list (the MCP server announces the change to them). */
    private void syncMcp(Map<String, ToolSpec> before, Map<String, ToolSpec> next) {
        before.forEach((name, spec) -> {
            if (!spec.equals(next.get(name))) {
                mcpTools.removeTool(name);
            }
        });
        next.forEach((name, spec) -> {
            if (!spec.equals(before.get(name))) {
                mcpTools.newTool(name)
                        .setDescription(spec.getDescription())
                        .setInputSchema(new JsonObject(spec.getInputSchemaJson()))
                        .setAsyncHandler(arguments -> call(name, new JsonObject(arguments.args() == null ? Map.of()
                                : arguments.args()).encode()).map(DeviceToolCatalog::toMcp))
                        .register();
            }
        });
    }

    public List<ToolSpec> tools() {
        return List.copyOf(tools.values());
    }

    public long revision() {
        return revision.get();
    }

    public boolean routes(String name) {
        return tools.containsKey(name);
    }

    /**
     * Runs a device tool in zigbee-service. Failures to reach it, or a tool that went away, are
     * error results with a stable code, like zigbee-service's own refusals.
     */
    public Optional<Uni<CallToolResponse>> callIfDevice(CallToolRequest request) {
        if (!routes(request.getName())) {
            return Optional.empty();
        }
        return Optional.of(call(request.getName(), request.getArgumentsJson()));
    }

    Uni<CallToolResponse> call(String name, String argumentsJson) {
        return zigbee.withDeadlineAfter(config.toolCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .callTool(CallToolRequest.newBuilder().setName(name.substring(PREFIX.length()))
                        .setArgumentsJson(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson).build())
                .onFailure().recoverWithItem(failure -> {
                    Status status = Status.fromThrowable(failure);
                    String why = status.getDescription() == null ? status.getCode().name().toLowerCase(Locale.ROOT)
                            : status.getDescription();
                    return switch (status.getCode()) {
                        case NOT_FOUND -> error(ToolResults.UNKNOWN_DEVICE, "the device of " + name
                                + " is no longer known to zigbee-service: " + why);
                        case INVALID_ARGUMENT -> error(ToolResults.INVALID_ARGUMENTS, why);
                        case FAILED_PRECONDITION -> error(ToolResults.COMMAND_REFUSED, why);
                        case UNAVAILABLE, DEADLINE_EXCEEDED, UNIMPLEMENTED -> error(ToolResults.ZIGBEE_UNAVAILABLE,
                                "the home's devices cannot be reached right now (zigbee-service: " + why + "); try again later");
                        default -> error(ToolResults.TOOL_FAILED, "zigbee-service failed: " + why);
                    };
                });
    }

    private static CallToolResponse error(String code, String message) {
        return CallToolResponse.newBuilder().setIsError(true)
                .setResultJson(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message))
                        .encode()).build();
    }

    private static ToolResponse toMcp(CallToolResponse response) {
        return new ToolResponse(response.getIsError(), List.of(new TextContent(response.getResultJson())));
    }
}
