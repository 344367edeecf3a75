package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.gateway.security.ApiKeyAuthenticator;
import dev.hearth.gateway.security.PermissionException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST endpoint of the gateway ({@code /v1/*}) needs {@code Authorization: Bearer <API key>}
 * of a key with the chat scope; refusals come in OpenAI's error shape (401, 403, 503 when the key
 * cannot be checked now).
 */
public class ApiKeyFilter {

    private final ApiKeyAuthenticator authenticator;
    private final ObjectMapper json;

    public ApiKeyFilter(ApiKeyAuthenticator authenticator, ObjectMapper json) {
        this.authenticator = authenticator;
        this.json = json;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(HttpHeaders headers, RoutingContext routing) {
        if (!authenticator.enabled()) {
            RequestPrincipal.attach(routing, authenticator.localPrincipal(), null);
            return Uni.createFrom().nullItem();
        }
        String key = ApiKeyAuthenticator.bearerKey(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().item(OpenAiError.invalidApiKey(
                    "You didn't provide an API key: send 'Authorization: Bearer <API key>'").response(json));
        }
        return authenticator.authenticate(key)
                .map(principal -> {
                    if (!principal.mayChat()) {
                        throw new PermissionException("this key lacks the chat scope");
                    }
                    RequestPrincipal.attach(routing, principal, key);
                    return (Response) null;
                })
                .onFailure().recoverWithItem(failure -> OpenAiErrors.of(failure).response(json));
    }
}
