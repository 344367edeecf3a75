package dev.hearth.config.rest;

import dev.hearth.config.service.ProviderService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The admin API for providers: where models are served. Every call needs an admin-scoped key
 * ({@link AdminApi}); every error is an RFC 9457 problem ({@link Problem}); every write is one
 * transaction that bumps the config version and is announced (kind {@code provider}) once committed.
 */
@Path("/admin/v1/providers")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    private static final Logger LOG = Logger.getLogger(ProviderResource.class);
    private static final String BODY = "a JSON body is required: {name, dialect, base_url, api_key_env, models, options}";

    private final ProviderService providers;
    private final AdminCaller caller;

    public ProviderResource(ProviderService providers, AdminCaller caller) {
        this.providers = providers;
        this.caller = caller;
    }

    @GET
    public Uni<ProviderListResponse> list() {
        return providers.list().map(all -> new ProviderListResponse(all.stream().map(ProviderResponse::of).toList()));
    }

    @GET
    @Path("{name}")
    public Uni<ProviderResponse> get(@RestPath String name) {
        return providers.find(name).map(found -> found.map(ProviderResponse::of)
                .orElseThrow(() -> new ProblemException(Problem.notFound("no provider named '" + name + "'"))));
    }

    /** 201 with the provider and its {@code Location}; 409 {@code already_exists} when the name is taken. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(ProviderRequest request, UriInfo uri) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return providers.create(request.validate(null)).map(created -> {
            LOG.infof("provider '%s' (%s) created by %s", created.name(), created.dialect(), caller.describe());
            return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build())
                    .entity(ProviderResponse.of(created)).build();
        });
    }

    /** Replaces it whole (absent fields become empty); 404 when there is none of that name. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ProviderResponse> replace(@RestPath String name, ProviderRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return providers.replace(request.validate(name)).map(replaced -> {
            LOG.infof("provider '%s' (%s) replaced by %s", replaced.name(), replaced.dialect(), caller.describe());
            return ProviderResponse.of(replaced);
        });
    }

    /** 204; 409 {@code in_use} while a profile's chain names it. */
    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@RestPath String name) {
        return providers.delete(name).map(deleted -> {
            LOG.infof("provider '%s' deleted by %s", name, caller.describe());
            return Response.noContent().build();
        });
    }
}
