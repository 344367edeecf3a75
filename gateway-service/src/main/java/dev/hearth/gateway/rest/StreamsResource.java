package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.redis.ReplicaIdentity;
import dev.hearth.gateway.security.Principal;
import dev.hearth.gateway.stream.ChatStream;
import dev.hearth.gateway.stream.StreamRegistry;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v1/streams}: the streams running on this gateway replica with their watchers — the
 * caller's own, or every one for an admin key. A stream's id is what {@code subscribe} takes.
 */
@Path("/v1/streams")
public class StreamsResource {

    private final StreamRegistry streams;
    private final ReplicaIdentity replica;
    private final ObjectMapper json;

    public StreamsResource(StreamRegistry streams, ReplicaIdentity replica, ObjectMapper json) {
        this.streams = streams;
        this.replica = replica;
        this.json = json;
    }

    @GET
    public Response list(@Context RoutingContext routing) {
        Principal caller = RequestPrincipal.of(routing);
        ObjectNode body = json.createObjectNode().put("object", "list").put("replica", replica.id());
        ArrayNode data = body.putArray("data");
        int clients = 0;
        for (ChatStream stream : streams.list()) {
            if (!caller.admin() && !caller.userId().equals(stream.ownerUserId())) {
                continue;
            }
            int watching = stream.clientCount();
            clients += watching;
            data.addObject()
                    .put("id", stream.id())
                    .put("epoch", stream.epoch())
                    .put("owner", stream.ownerUserId())
                    .put("shared", stream.shared())
                    .put("started_at", stream.startedAt().toString())
                    .put("last_seq", stream.lastSeq())
                    .put("clients", watching);
        }
        body.put("clients", clients);
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
