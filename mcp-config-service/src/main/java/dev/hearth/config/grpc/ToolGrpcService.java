package dev.hearth.config.grpc;

import dev.hearth.config.repository.ConfigVersionRepository;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * The tool catalog. Nothing registers tools yet (device tools and external MCP servers come with
 * the Zigbee and MCP work), so the catalog is empty and every call names an unknown tool.
 */
@GrpcService
public class ToolGrpcService extends MutinyToolServiceGrpc.ToolServiceImplBase {

    private final ConfigVersionRepository versions;

    public ToolGrpcService(ConfigVersionRepository versions) {
        this.versions = versions;
    }

    @Override
    public Uni<ListToolsResponse> listTools(ListToolsRequest request) {
        return versions.current().map(v -> ListToolsResponse.newBuilder().setVersion(v).build());
    }

    @Override
    public Uni<CallToolResponse> callTool(CallToolRequest request) {
        return Uni.createFrom().failure(Status.NOT_FOUND
                .withDescription("no tool named '" + request.getName() + "' in the catalog").asRuntimeException());
    }
}
