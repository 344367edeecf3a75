package dev.hearth.gateway.rest;

import dev.hearth.gateway.security.Principal;
import io.vertx.ext.web.RoutingContext;

/** The principal (and the key it presented) that {@link ApiKeyFilter} attached to a request. */
final class RequestPrincipal {

    private static final String PRINCIPAL = "hearth.principal";
    private static final String API_KEY = "hearth.api-key";

    private RequestPrincipal() {
    }

    static void attach(RoutingContext routing, Principal principal, String apiKey) {
        routing.put(PRINCIPAL, principal);
        if (apiKey != null) {
            routing.put(API_KEY, apiKey);
        }
    }

    static Principal of(RoutingContext routing) {
        Principal principal = routing.get(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal: the request did not pass ApiKeyFilter");
        }
        return principal;
    }

    /** Null while authentication is off. */
    static String apiKey(RoutingContext routing) {
        return routing.get(API_KEY);
    }
}
