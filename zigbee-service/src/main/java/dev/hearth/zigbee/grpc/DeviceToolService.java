package dev.hearth.zigbee.grpc;

import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import dev.hearth.zigbee.service.DeviceTools;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * The home's devices as tools, on zigbee-service's one port: mcp-config-service lists them (and
 * prefixes them with {@code zigbee__}) and forwards calls. Profiles are mcp-config's business: every
 * device tool is listed whatever the profile.
 */
@GrpcService
public class DeviceToolService extends MutinyToolServiceGrpc.ToolServiceImplBase {

    private final DeviceTools tools;

    public DeviceToolService(DeviceTools tools) {
        this.tools = tools;
    }

    @Override
    public Uni<ListToolsResponse> listTools(ListToolsRequest request) {
        return Uni.createFrom().item(() -> {
            DeviceTools.Catalog catalog = tools.catalog();
            return ListToolsResponse.newBuilder().setVersion(catalog.revision())
                    .addAllTools(catalog.tools().stream().map(DeviceTools.DeviceTool::spec).toList()).build();
        });
    }

    @Override
    public Uni<CallToolResponse> callTool(CallToolRequest request) {
        return tools.call(request.getName(), request.getArgumentsJson())
                .map(result -> CallToolResponse.newBuilder().setResultJson(result.result().encode())
                        .setIsError(result.error()).build())
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
