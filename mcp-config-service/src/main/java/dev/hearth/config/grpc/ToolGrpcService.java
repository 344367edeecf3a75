package dev.hearth.config.grpc;

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
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

/**
 * The tool catalog: the built-in tools for now (device tools and external MCP servers come with the
 * Zigbee and MCP work). ListTools with a profile lists what its {@code allowed_tools} allow (none
 * when empty; NOT_FOUND for an unknown profile), without one every tool. CallTool runs a tool:
 * NOT_FOUND for an unknown one; arguments it cannot use are an is_error result the model can read.
 */
@GrpcService
public class ToolGrpcService extends MutinyToolServiceGrpc.ToolServiceImplBase {

    private static final Logger LOG = Logger.getLogger(ToolGrpcService.class);

    private final ConfigVersionRepository versions;
    private final ProfileRepository profiles;
    private final BuiltInTools builtIns;

    public ToolGrpcService(ConfigVersionRepository versions, ProfileRepository profiles, BuiltInTools builtIns) {
        this.versions = versions;
        this.profiles = profiles;
        this.builtIns = builtIns;
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
        ListToolsResponse.Builder response = ListToolsResponse.newBuilder().setVersion(version);
        builtIns.all().stream().filter(tool -> allowed.allows(tool.name())).forEach(tool -> response.addTools(tool.spec()));
        return response.build();
    }

    @Override
    public Uni<CallToolResponse> callTool(CallToolRequest request) {
        BuiltInTool tool = builtIns.find(request.getName()).orElse(null);
        if (tool == null) {
            return Uni.createFrom().failure(Status.NOT_FOUND
                    .withDescription("no tool named '" + request.getName() + "' in the catalog").asRuntimeException());
        }
        JsonObject arguments;
        try {
            Object parsed = Json.decodeValue(request.getArgumentsJson().isBlank() ? "{}" : request.getArgumentsJson());
            if (!(parsed instanceof JsonObject object)) {
                return Uni.createFrom().item(error("invalid_arguments", "arguments must be a JSON object"));
            }
            arguments = object;
        } catch (DecodeException e) {
            return Uni.createFrom().item(error("invalid_arguments", "arguments are not valid JSON"));
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

    private static CallToolResponse error(String code, String message) {
        return CallToolResponse.newBuilder().setIsError(true)
                .setResultJson(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message))
                        .encode())
                .build();
    }
}
