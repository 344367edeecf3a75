package dev.hearth.config.mcp;

import dev.hearth.config.ApiKey;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is calling an MCP feature: the API key {@link McpAccessFilter} verified for the HTTP request
 * that carries the call. The MCP extension makes that request current while a feature runs.
 */
@ApplicationScoped
public class McpCaller {

    static final String KEY = "hearth.mcp.api-key";

    private final CurrentVertxRequest request;

    public McpCaller(CurrentVertxRequest request) {
        this.request = request;
    }

    /** The verified key; fails when called outside an authenticated /mcp request (a bug, not bad input). */
    public ApiKey key() {
        RoutingContext current = request.getCurrent();
        ApiKey key = current == null ? null : current.get(KEY);
        if (key == null) {
            throw new IllegalStateException("no verified API key on this request: is McpAccessFilter in place?");
        }
        return key;
    }
}
