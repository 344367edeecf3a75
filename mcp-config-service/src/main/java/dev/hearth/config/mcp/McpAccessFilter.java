package dev.hearth.config.mcp;

import dev.hearth.config.ApiKey;
import dev.hearth.config.rest.Problem;
import dev.hearth.config.service.ApiKeyService;
import dev.hearth.config.service.InvalidApiKeyException;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Guards {@code /mcp} before the MCP extension sees a request. A present {@code Origin} must be
 * allowed (403 {@code origin_not_allowed}): the Streamable HTTP transport's defence against DNS
 * rebinding, where a web page reaches a LAN server through the user's browser. Then the request
 * needs {@code Authorization: Bearer <key>} with a valid key of the {@code chat} or {@code admin}
 * scope (401 {@code unauthorized} / 403 {@code forbidden}, RFC 9457 bodies like the admin API).
 * The key is verified on every request, not once per MCP session, so a revoked key stops at once;
 * it is left on the routing context for {@link McpCaller}.
 */
@ApplicationScoped
public class McpAccessFilter {

    /** Before the extension's routes, which are ordinary (non-filter) routes. */
    static final int PRIORITY = 100;
    static final String ORIGIN_NOT_ALLOWED = "origin_not_allowed";

    private static final Logger LOG = Logger.getLogger(McpAccessFilter.class);
    private static final String CHALLENGE = "Bearer realm=\"hearth\"";

    private final ApiKeyService keys;
    private final AllowedOrigins origins;
    private final String path;

    public McpAccessFilter(ApiKeyService keys, McpConfig config) {
        this.keys = keys;
        this.origins = new AllowedOrigins(config.allowedOrigins());
        this.path = config.path();
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    void filter(RoutingContext rc) {
        String requestPath = rc.normalizedPath();
        if (!requestPath.equals(path) && !requestPath.startsWith(path + "/")) {
            rc.next();
            return;
        }
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origins.allows(origin)) {
            LOG.debugf("refused an MCP request from origin %s", origin);
            refuse(rc, new Problem(403, ORIGIN_NOT_ALLOWED, "origin '" + origin
                    + "' may not call the MCP endpoint (allowed origins: hearth.mcp.allowed-origins)"), null);
            return;
        }
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            refuse(rc, new Problem(401, Problem.UNAUTHORIZED, "an API key is required: Authorization: Bearer <key>"),
                    CHALLENGE);
            return;
        }
        // The scheme is case-insensitive (RFC 9110); the key is what follows it.
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            refuse(rc, new Problem(401, Problem.UNAUTHORIZED, "the Authorization header must be 'Bearer <key>'"),
                    CHALLENGE);
            return;
        }
        // No need to hold the body while the key is looked up: Quarkus keeps a request paused until
        // a handler reads it. Continue on the request's own context, whichever thread answered.
        Context context = Vertx.currentContext();
        keys.verify(authorization.substring(7).trim())
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .subscribe().with(key -> admit(rc, key), failure -> {
                    if (failure instanceof InvalidApiKeyException) {
                        refuse(rc, new Problem(401, Problem.UNAUTHORIZED, failure.getMessage()),
                                CHALLENGE + ", error=\"invalid_token\"");
                    } else {
                        LOG.warn("could not verify an API key for /mcp", failure);
                        refuse(rc, new Problem(503, "unavailable", "API keys cannot be verified right now; retry"), null);
                    }
                });
    }

    private static void admit(RoutingContext rc, ApiKey key) {
        if (!key.hasScope(ApiKey.SCOPE_CHAT) && !key.hasScope(ApiKey.SCOPE_ADMIN)) {
            refuse(rc, new Problem(403, Problem.FORBIDDEN, "API key " + key.id() + " has neither the chat nor the admin scope"),
                    CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + ApiKey.SCOPE_CHAT + "\"");
            return;
        }
        rc.put(McpCaller.KEY, key);
        rc.next();
    }

    private static void refuse(RoutingContext rc, Problem problem, String challenge) {
        if (rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (challenge != null) {
            rc.response().putHeader("WWW-Authenticate", challenge);
        }
        rc.response().end(problem.toJson());
    }
}
