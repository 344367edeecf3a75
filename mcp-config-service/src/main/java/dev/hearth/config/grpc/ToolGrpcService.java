package dev.hearth.config.grpc;

import dev.hearth.config.aggregator.UpstreamRegistry;
import dev.hearth.config.aggregator.UpstreamTool;
import dev.hearth.config.aggregator.UpstreamUnavailableException;
import dev.hearth.config.mcp.DeviceToolCatalog;
import dev.hearth.config.repository.ConfigVersionRepository;
import dev.hearth.config.repository.ProfileRepository;
import dev.hearth.config.tools.AllowedTools;
import dev.hearth.config.tools.BuiltInTool;
import dev.hearth.config.tools.BuiltInTools;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import io.grpc.Status;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * The tool catalog: the built-in tools, the home's devices as {@code zigbee__<device>}
 * ({@link DeviceToolCatalog}) and the tools of every ready, enabled external MCP server as
 * {@code <server>__<tool>} ({@link UpstreamRegistry}). ListTools with a profile lists what its
 * {@code allowed_tools} allow (none when empty; NOT_FOUND for an unknown profile), without one every
 * tool; its version is the config version plus the aggregator's revision, so it changes when either
 * the configuration or an upstream's tool list does. CallTool runs a built-in tool or routes to the
 * upstream: NOT_FOUND for a name not in the catalog; arguments it cannot use, an upstream that is
 * down, slow or answers with a protocol error are an is_error result with a stable {@code code}
 * ({@code invalid_arguments}, {@code upstream_unavailable}, {@code upstream_timeout},
 * {@code upstream_error}) the model can read and tell the user about; an upstream's own
 * {@code isError} result passes through as is_error.
 */
@GrpcService
public class ToolGrpcService extends MutinyToolServiceGrpc.ToolServiceImplBase {

    private static final Logger LOG = Logger.getLogger(ToolGrpcService.class);

    private final ConfigVersionRepository versions;
    private final ProfileRepository profiles;
    private final BuiltInTools builtIns;
    private final UpstreamRegistry upstreams;
    private final DeviceToolCatalog devices;

    public ToolGrpcService(ConfigVersionRepository versions, ProfileRepository profiles, BuiltInTools builtIns,
            UpstreamRegistry upstreams, DeviceToolCatalog devices) {
        this.versions = versions;
        this.profiles = profiles;
        this.builtIns = builtIns;
        this.upstreams = upstreams;
        this.devices = devices;
    }

    @Override
    public Uni<ListToolsResponse> listTools(ListToolsRequest request) {
        if (request.getProfile().isBlank()) {
            return versions.current().map(version -> catalog(new AllowedTools(java.util.List.of("*")), version));
        }
        return profiles.find(request.getProfile()).map(found -> found
                .map(profile -> catalog(new AllowedTools(profile.getAllowedToolsList()), profile.getVersion()))
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("no profile named '" + request.getProfile() + "'")
                        .asRuntimeException()));
    }

    private ListToolsResponse catalog(AllowedTools allowed, long version) {
        // Read the revision first: a change racing this listing then shows as a newer version next time.
        ListToolsResponse.Builder response = ListToolsResponse.newBuilder()
                .setVersion(version + upstreams.revision() + devices.revision());
        builtIns.all().stream().filter(tool -> allowed.allows(tool.name())).forEach(tool -> response.addTools(tool.spec()));
        devices.tools().stream().filter(tool -> allowed.allows(tool.getName())).forEach(response::addTools);
        List<UpstreamTool> external = upstreams.tools();
        external.stream().filter(tool -> allowed.allows(tool.name())).forEach(tool -> response.addTools(tool.spec()));
        return response.build();
    }

    @Override
    public Uni<CallToolResponse> callTool(CallToolRequest request) {
        BuiltInTool tool = builtIns.find(request.getName()).orElse(null);
        JsonObject arguments;
        try {
            Object parsed = Json.decodeValue(request.getArgumentsJson().isBlank() ? "{}" : request.getArgumentsJson());
            if (!(parsed instanceof JsonObject object)) {
                return known(tool, request).replaceWith(error("invalid_arguments", "arguments must be a JSON object"));
            }
            arguments = object;
        } catch (DecodeException e) {
            return known(tool, request).replaceWith(error("invalid_arguments", "arguments are not valid JSON"));
        }
        if (tool == null) {
            Optional<Uni<CallToolResponse>> device = devices.callIfDevice(request);
            if (device.isPresent()) {
                return device.get();
            }
            return upstreams.call(request.getName(), arguments.getMap())
                    .map(call -> Uni.createFrom().completionStage(() -> upstreamCall(call, request).toFuture()))
                    .orElseGet(() -> Uni.createFrom().failure(notFound(request)));
        }
        try {
            return Uni.createFrom().item(CallToolResponse.newBuilder().setResultJson(tool.call(arguments).encode()).build());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(error("invalid_arguments", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "built-in tool %s failed (call %s)", request.getName(), request.getCallId());
            return Uni.createFrom().item(error("tool_failed", "the tool failed: " + e.getMessage()));
        }
    }

    /** NOT_FOUND first: bad arguments to a tool that does not exist are still an unknown tool. */
    private Uni<Void> known(BuiltInTool tool, CallToolRequest request) {
        if (tool != null || devices.routes(request.getName()) || upstreams.routes(request.getName())) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().failure(notFound(request));
    }

    private static RuntimeException notFound(CallToolRequest request) {
        return Status.NOT_FOUND.withDescription("no tool named '" + request.getName() + "' in the catalog")
                .asRuntimeException();
    }

    /** The upstream's result as MCP gives it ({@code content}, {@code structuredContent}); failures as error results. */
    private static Mono<CallToolResponse> upstreamCall(Mono<McpSchema.CallToolResult> call, CallToolRequest request) {
        return call.map(result -> {
            try {
                return CallToolResponse.newBuilder().setIsError(Boolean.TRUE.equals(result.isError()))
                        .setResultJson(McpJsonDefaults.getMapper().writeValueAsString(result)).build();
            } catch (IOException e) {
                throw new IllegalStateException("the result of " + request.getName() + " cannot be written as JSON", e);
            }
        }).onErrorResume(failure -> {
            String name = request.getName();
            if (failure instanceof UpstreamUnavailableException) {
                return Mono.just(error("upstream_unavailable", failure.getMessage()));
            }
            if (failure instanceof TimeoutException) {
                return Mono.just(error("upstream_timeout", "the MCP server did not answer " + name + " in time"));
            }
            if (failure instanceof McpError mcp) {
                return Mono.just(error("upstream_error", "the MCP server refused " + name + ": " + mcp.getMessage()));
            }
            LOG.warnf(failure, "MCP tool %s failed (call %s)", name, request.getCallId());
            return Mono.just(error("upstream_error", "the MCP tool failed: " + failure.getMessage()));
        });
    }

    private static CallToolResponse error(String code, String message) {
        return CallToolResponse.newBuilder().setIsError(true)
                .setResultJson(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message))
                        .encode())
                .build();
    }
}
