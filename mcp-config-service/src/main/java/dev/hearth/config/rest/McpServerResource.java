package dev.hearth.config.rest;

import dev.hearth.config.aggregator.UpstreamState;
import dev.hearth.config.aggregator.UpstreamStatus;
import dev.hearth.config.service.McpServerService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The admin API for external MCP servers, whose tools the catalog offers as {@code <name>__<tool>}.
 * Every call needs an admin-scoped key ({@link AdminApi}); every error is an RFC 9457 problem
 * ({@link Problem}); every write is one transaction that bumps the config version and is announced
 * (kind {@code mcp_server}) once committed, and the aggregator reconnects or switches at once.
 */
@Path("/admin/v1/mcp-servers")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class McpServerResource {

    private static final Logger LOG = Logger.getLogger(McpServerResource.class);
    private static final String BODY = "a JSON body is required: {name, transport, url | command, args, env, headers, "
            + "enabled, disabled_tools, poll_interval_seconds}";
    private static final String ENABLED_BODY = "a JSON body is required: {\"enabled\": true|false}";

    private final McpServerService servers;
    private final AdminCaller caller;

    public McpServerResource(McpServerService servers, AdminCaller caller) {
        this.servers = servers;
        this.caller = caller;
    }

    @GET
    public Uni<McpServerListResponse> list() {
        return servers.list().map(all -> new McpServerListResponse(all.stream().map(McpServerResponse::of).toList()));
    }

    @GET
    @Path("{name}")
    public Uni<McpServerResponse> get(@RestPath String name) {
        return servers.find(name).map(found -> found.map(McpServerResponse::of)
                .orElseThrow(() -> new ProblemException(notFound(name))));
    }

    /** 201 with the server and its {@code Location}; 409 {@code already_exists} when the name is taken. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(McpServerRequest request, UriInfo uri) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return servers.create(request.validate(null)).map(created -> {
            LOG.infof("MCP server '%s' (%s) created by %s", created.name(), created.transport(), caller.describe());
            return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build())
                    .entity(McpServerResponse.of(created)).build();
        });
    }

    /** Replaces it whole (absent fields take their defaults); 404 when there is none of that name. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<McpServerResponse> replace(@RestPath String name, McpServerRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return servers.replace(request.validate(name)).map(replaced -> {
            LOG.infof("MCP server '%s' replaced by %s", replaced.name(), caller.describe());
            return McpServerResponse.of(replaced);
        });
    }

    /** 204; its connection is closed (a stdio process ends). */
    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@RestPath String name) {
        return servers.delete(name).map(deleted -> {
            LOG.infof("MCP server '%s' deleted by %s", name, caller.describe());
            return Response.noContent().build();
        });
    }

    /** {@code {"enabled": false}} disconnects it and drops its tools; {@code true} connects again. */
    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<McpServerResponse> enable(@RestPath String name, EnabledRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(ENABLED_BODY));
        }
        boolean enabled = request.validate();
        return servers.enable(name, enabled).map(changed -> {
            LOG.infof("MCP server '%s' %s by %s", name, enabled ? "enabled" : "disabled", caller.describe());
            return McpServerResponse.of(changed);
        });
    }

    /**
     * Switches one tool by its upstream name (not namespaced). It need not be listed now: the
     * switch is kept by name and applies whenever the server lists it.
     */
    @PATCH
    @Path("{name}/tools/{tool}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<McpServerResponse> enableTool(@RestPath String name, @RestPath String tool, EnabledRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(ENABLED_BODY));
        }
        FieldProblems problems = new FieldProblems();
        McpServerRequest.checkTool("the tool in the path", tool, problems);
        problems.throwIfAny();
        boolean enabled = request.validate();
        return servers.enableTool(name, tool, enabled).map(changed -> {
            LOG.infof("tool '%s' of MCP server '%s' %s by %s", tool, name, enabled ? "enabled" : "disabled",
                    caller.describe());
            return McpServerResponse.of(changed);
        });
    }

    /** The live view: state, last refresh, last error and the tools the server lists now. */
    @GET
    @Path("{name}/tools")
    public Uni<McpServerToolsResponse> tools(@RestPath String name) {
        return servers.find(name).map(found -> {
            var server = found.orElseThrow(() -> new ProblemException(notFound(name)));
            UpstreamStatus status = servers.status(name).orElseGet(() -> new UpstreamStatus(name,
                    server.enabled() ? UpstreamState.CONNECTING : UpstreamState.DISABLED, List.of(), null, ""));
            return McpServerToolsResponse.of(server, status);
        });
    }

    private static Problem notFound(String name) {
        return Problem.notFound("no MCP server named '" + name + "'");
    }
}
