package dev.hearth.config.rest;

import dev.hearth.config.service.ApiKeyService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The admin API for API keys. Every call needs an admin-scoped key ({@link AdminApi}); every error
 * is an RFC 9457 problem ({@link Problem}).
 */
@Path("/admin/v1/api-keys")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private static final Logger LOG = Logger.getLogger(ApiKeyResource.class);

    private final ApiKeyService keys;
    private final AdminCaller caller;

    public ApiKeyResource(ApiKeyService keys, AdminCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    /** 201 with the key itself, shown this once, and {@code Location} of the new key. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateApiKeyRequest request, UriInfo uri) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest("a JSON body is required: {name, user_id, scopes, ...}"));
        }
        return keys.create(request.validate(Instant.now())).map(created -> {
            LOG.infof("API key %s '%s' for user %s with scopes %s created by %s", created.key().id(),
                    created.key().name(), created.key().userId(), created.key().scopes(), caller.describe());
            return Response.created(uri.getAbsolutePathBuilder().path(created.key().id()).build())
                    .entity(CreatedApiKeyResponse.of(created)).build();
        });
    }

    @GET
    public Uni<ApiKeyListResponse> list() {
        return keys.list().map(all -> {
            Instant now = Instant.now();
            return new ApiKeyListResponse(all.stream().map(key -> ApiKeyResponse.of(key, now)).toList());
        });
    }

    @GET
    @Path("{id}")
    public Uni<ApiKeyResponse> get(@RestPath String id) {
        return keys.find(id).map(found -> found
                .map(key -> ApiKeyResponse.of(key, Instant.now()))
                .orElseThrow(() -> new ProblemException(Problem.notFound("no API key " + id))));
    }

    /** Revokes: 204, also when it was revoked already; 409 for the last usable admin key. */
    @DELETE
    @Path("{id}")
    public Uni<Response> revoke(@RestPath String id) {
        return keys.revoke(id).map(result -> switch (result) {
            case REVOKED -> {
                LOG.infof("API key %s revoked by %s", id, caller.describe());
                yield Response.noContent().build();
            }
            case ALREADY_REVOKED -> Response.noContent().build();
            case NOT_FOUND -> throw new ProblemException(Problem.notFound("no API key " + id));
            case LAST_ADMIN_KEY -> throw new ProblemException(new Problem(409, Problem.CONFLICT,
                    "API key " + id + " is the last usable admin key: create another admin key before revoking it"));
        });
    }
}
