package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.gateway.security.WsTickets;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/ws-tickets}: a short-lived, single-use ticket for browsers, which cannot send an
 * Authorization header with a WebSocket: {@code new WebSocket("wss://host/ws/chat?access_token=" + ticket)}.
 */
@Path("/v1/ws-tickets")
public class WsTicketResource {

    private final WsTickets tickets;
    private final ObjectMapper json;

    public WsTicketResource(WsTickets tickets, ObjectMapper json) {
        this.tickets = tickets;
        this.json = json;
    }

    @POST
    public Uni<Response> issue(RoutingContext routing) {
        String key = RequestPrincipal.apiKey(routing);
        // Without authentication the upgrade takes no ticket; hand out one anyway so clients need no special case.
        Uni<String> ticket = key == null ? Uni.createFrom().item(tickets.unbound()) : tickets.issue(key);
        return ticket.map(t -> Response.ok(json.createObjectNode().put("ticket", t)
                        .put("expires_in", tickets.ttlSeconds()).toString(), MediaType.APPLICATION_JSON_TYPE).build())
                .onFailure().recoverWithItem(failure -> OpenAiErrors.of(failure).response(json));
    }
}
