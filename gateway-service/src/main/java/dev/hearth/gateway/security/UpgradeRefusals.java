package dev.hearth.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a refused WebSocket upgrade with its status and a body
 * {@code {"error":{"code":"unauthorized|forbidden|rate_limited|internal","message":"…"}}}.
 * websockets-next ends a rejected {@code CheckResult} with an empty body, but routes a failed check
 * through the router's failure handlers; this is the first of them and handles only refusals.
 */
@ApplicationScoped
public class UpgradeRefusals {

    private final ObjectMapper json;

    public UpgradeRefusals(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (!(context.failure() instanceof UpgradeRefusedException refusal) || context.response().headWritten()) {
            context.next();
            return;
        }
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", refusal.code()).put("message", refusal.getMessage());
        HttpServerResponse response = context.response().setStatusCode(refusal.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (refusal.retryAfterMs() > 0) {
            error.put("retry_after_ms", refusal.retryAfterMs());
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf((refusal.retryAfterMs() + 999) / 1000));
        }
        response.end(body.toString());
    }
}
