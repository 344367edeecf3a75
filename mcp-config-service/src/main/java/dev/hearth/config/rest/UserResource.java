package dev.hearth.config.rest;

import dev.hearth.config.service.UserService;
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
 * The admin API for users: the owners of API keys and conversations. Every call needs an
 * admin-scoped key ({@link AdminApi}); every error is an RFC 9457 problem ({@link Problem}); every
 * write is one transaction that bumps the config version and is announced (kind {@code user}) once committed.
 */
@Path("/admin/v1/users")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private static final Logger LOG = Logger.getLogger(UserResource.class);
    private static final String BODY = "a JSON body is required: {id, display_name}";

    private final UserService users;
    private final AdminCaller caller;

    public UserResource(UserService users, AdminCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    public Uni<UserListResponse> list() {
        return users.list().map(all -> new UserListResponse(all.stream().map(UserResponse::of).toList()));
    }

    @GET
    @Path("{id}")
    public Uni<UserResponse> get(@RestPath String id) {
        return users.find(id).map(found -> found.map(UserResponse::of)
                .orElseThrow(() -> new ProblemException(Problem.notFound("no user '" + id + "'"))));
    }

    /** 201 with the user and its {@code Location}; 409 {@code already_exists} when the id is taken. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(UserRequest request, UriInfo uri) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        var user = request.validate(null);
        return users.create(user.id(), user.displayName()).map(created -> {
            LOG.infof("user '%s' created by %s", created.id(), caller.describe());
            return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                    .entity(UserResponse.of(created)).build();
        });
    }

    /** Replaces the display name (absent: the id); 404 when there is no such user. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserResponse> replace(@RestPath String id, UserRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        var user = request.validate(id);
        return users.replace(user.id(), user.displayName()).map(replaced -> {
            LOG.infof("user '%s' replaced by %s", replaced.id(), caller.describe());
            return UserResponse.of(replaced);
        });
    }

    /** 204; 409 {@code in_use} while the user has a usable API key or any conversation. */
    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@RestPath String id) {
        return users.delete(id).map(deleted -> {
            LOG.infof("user '%s' deleted by %s", id, caller.describe());
            return Response.noContent().build();
        });
    }
}
