package dev.hearth.config.rest;

import dev.hearth.config.ApiKey;
import dev.hearth.config.service.ApiKeyService;
import dev.hearth.config.service.InvalidApiKeyException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admin endpoints ({@link AdminApi}) need {@code Authorization: Bearer <key>} with a key of the
 * {@code admin} scope: 401 {@code unauthorized} without a valid key, 403 {@code forbidden} with a
 * valid key lacking the scope. Runs before the body is read, so nothing of a refused request is parsed.
 */
public class AdminAuthFilter {

    private static final String CHALLENGE = "Bearer realm=\"hearth\"";

    private final ApiKeyService keys;
    private final AdminCaller caller;

    public AdminAuthFilter(ApiKeyService keys, AdminCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @AdminApi
    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return refuse(401, Problem.UNAUTHORIZED, "an admin API key is required: Authorization: Bearer <key>", CHALLENGE);
        }
        // The scheme is case-insensitive (RFC 9110); the key is what follows it.
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            return refuse(401, Problem.UNAUTHORIZED, "the Authorization header must be 'Bearer <key>'", CHALLENGE);
        }
        String key = authorization.substring(7).trim();
        return keys.verify(key)
                .map(this::admit)
                .onFailure(InvalidApiKeyException.class).recoverWithItem(e -> new Problem(401, Problem.UNAUTHORIZED,
                        e.getMessage()).toResponseBuilder()
                        .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE + ", error=\"invalid_token\"").build());
    }

    /** null lets the request through (to the resource); a response ends it. */
    private Response admit(ApiKey key) {
        if (!key.hasScope(ApiKey.SCOPE_ADMIN)) {
            return new Problem(403, Problem.FORBIDDEN, "API key " + key.id() + " does not have the admin scope")
                    .toResponseBuilder()
                    .header(HttpHeaders.WWW_AUTHENTICATE,
                            CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + ApiKey.SCOPE_ADMIN + "\"")
                    .build();
        }
        caller.set(key);
        return null;
    }

    private static Uni<Response> refuse(int status, String code, String detail, String challenge) {
        return Uni.createFrom().item(new Problem(status, code, detail).toResponseBuilder()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build());
    }
}
