package dev.hearth.config.rest;

import dev.hearth.config.service.ProfileService;
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
 * The admin API for profiles: a system prompt, generation parameters, allowed tools and the
 * fallback chain of providers the router tries in order. Every call needs an admin-scoped key
 * ({@link AdminApi}); every error is an RFC 9457 problem ({@link Problem}); every write is one
 * transaction that bumps the config version and is announced (kind {@code profile}) once committed.
 */
@Path("/admin/v1/profiles")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    private static final Logger LOG = Logger.getLogger(ProfileResource.class);
    private static final String BODY = "a JSON body is required: {name, description, system_prompt, params, "
            + "targets, allowed_tools, is_default}";

    private final ProfileService profiles;
    private final AdminCaller caller;

    public ProfileResource(ProfileService profiles, AdminCaller caller) {
        this.profiles = profiles;
        this.caller = caller;
    }

    @GET
    public Uni<ProfileListResponse> list() {
        return profiles.list().map(all -> new ProfileListResponse(all.stream().map(ProfileResponse::of).toList()));
    }

    @GET
    @Path("{name}")
    public Uni<ProfileResponse> get(@RestPath String name) {
        return profiles.find(name).map(found -> found.map(ProfileResponse::of)
                .orElseThrow(() -> new ProblemException(Problem.notFound("no profile named '" + name + "'"))));
    }

    /**
     * 201 with the profile and its {@code Location}; 409 {@code already_exists} when the name is
     * taken, 422 {@code unknown_provider} when the chain names a provider that does not exist.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(ProfileRequest request, UriInfo uri) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return profiles.create(request.validate(null)).map(created -> {
            LOG.infof("profile '%s' created by %s", created.name(), caller.describe());
            return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build())
                    .entity(ProfileResponse.of(created)).build();
        });
    }

    /** Replaces it whole, chain included; 404 when there is none of that name. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ProfileResponse> replace(@RestPath String name, ProfileRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return profiles.replace(request.validate(name)).map(replaced -> {
            LOG.infof("profile '%s' replaced by %s", replaced.name(), caller.describe());
            return ProfileResponse.of(replaced);
        });
    }

    /** 204; 409 {@code conflict} for the default profile (make another the default first). */
    @DELETE
    @Path("{name}")
    public Uni<Response> delete(@RestPath String name) {
        return profiles.delete(name).map(deleted -> {
            LOG.infof("profile '%s' deleted by %s", name, caller.describe());
            return Response.noContent().build();
        });
    }
}
