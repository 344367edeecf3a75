package dev.hearth.config.rest;

import dev.hearth.config.service.DeviceService;
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
 * The admin API for devices: Hearth's names, rooms and risk classes for home devices. Every call
 * needs an admin-scoped key ({@link AdminApi}); every error is an RFC 9457 problem ({@link Problem});
 * every write is one transaction that bumps the config version and is announced (kind
 * {@code device}) once committed.
 */
@Path("/admin/v1/devices")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
public class DeviceResource {

    private static final Logger LOG = Logger.getLogger(DeviceResource.class);
    private static final String BODY = "a JSON body is required: {id, friendly_name, aliases, room, risk_class, source}";

    private final DeviceService devices;
    private final AdminCaller caller;

    public DeviceResource(DeviceService devices, AdminCaller caller) {
        this.devices = devices;
        this.caller = caller;
    }

    @GET
    public Uni<DeviceListResponse> list() {
        return devices.list().map(all -> new DeviceListResponse(all.stream().map(DeviceResponse::of).toList()));
    }

    @GET
    @Path("{id}")
    public Uni<DeviceResponse> get(@RestPath String id) {
        return devices.find(id).map(found -> found.map(DeviceResponse::of)
                .orElseThrow(() -> new ProblemException(Problem.notFound("no device '" + id + "'"))));
    }

    /** 201 with the device and its {@code Location}; 409 {@code already_exists} when the id or a name is taken. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(DeviceRequest request, UriInfo uri) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return devices.create(request.validate(null)).map(created -> {
            LOG.infof("device '%s' ('%s') created by %s", created.id(), created.friendlyName(), caller.describe());
            return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                    .entity(DeviceResponse.of(created)).build();
        });
    }

    /** Replaces it whole (absent fields become defaults); 404 when there is no such device. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DeviceResponse> replace(@RestPath String id, DeviceRequest request) {
        if (request == null) {
            throw new ProblemException(Problem.invalidRequest(BODY));
        }
        return devices.replace(request.validate(id)).map(replaced -> {
            LOG.infof("device '%s' ('%s') replaced by %s", replaced.id(), replaced.friendlyName(), caller.describe());
            return DeviceResponse.of(replaced);
        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@RestPath String id) {
        return devices.delete(id).map(deleted -> {
            LOG.infof("device '%s' deleted by %s", id, caller.describe());
            return Response.noContent().build();
        });
    }
}
