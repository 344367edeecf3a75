package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.config.grpc.ToolGrpcService;
import dev.hearth.config.mcp.DeviceToolCatalog;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ToolSpec;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /admin/v1/tools[?profile=name]}: the tool catalog as the router sees it — every tool,
 * or what one profile's {@code allowed_tools} let its model call — so an operator can check what a
 * profile offers (a device just paired, an MCP server just added) without starting a chat.
 */
@Path("/admin/v1/tools")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class ToolCatalogResource {

    private final ToolGrpcService catalog;
    private final ObjectMapper json;

    public ToolCatalogResource(@io.quarkus.grpc.GrpcService ToolGrpcService catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    public record ToolResponse(String name, String description, String source,
            @JsonProperty("input_schema") JsonNode inputSchema) {
    }

    public record ToolListResponse(String profile, long version, List<ToolResponse> tools) {
    }

    @GET
    public Uni<ToolListResponse> list(@RestQuery String profile) {
        String name = profile == null ? "" : profile.strip();
        return catalog.listTools(ListToolsRequest.newBuilder().setProfile(name).build())
                .onFailure(failure -> Status.fromThrowable(failure).getCode() == Status.Code.NOT_FOUND)
                .transform(failure -> new ProblemException(Problem.notFound("no profile named '" + name + "'")))
                .map(listed -> new ToolListResponse(name.isEmpty() ? null : name, listed.getVersion(),
                        listed.getToolsList().stream().map(this::tool).toList()));
    }

    private ToolResponse tool(ToolSpec spec) {
        String source = spec.getName().startsWith(DeviceToolCatalog.PREFIX) ? "device"
                : spec.getName().contains("__") ? "mcp_server" : "built_in";
        JsonNode schema;
        try {
            schema = json.readTree(spec.getInputSchemaJson().isEmpty() ? "{}" : spec.getInputSchemaJson());
        } catch (java.io.IOException e) {
            schema = json.getNodeFactory().textNode(spec.getInputSchemaJson());
        }
        return new ToolResponse(spec.getName(), spec.getDescription(), source, schema);
    }
}
