package dev.hearth.config.rest;

import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}) with a stable {@code code} member
 * clients can switch on. The type is {@code about:blank}: each code maps to one HTTP status, so
 * the status (and its phrase, the title) says what kind of problem it is and {@code code} names it.
 */
public record Problem(int status, String code, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String CONFLICT = "conflict";
    /** 409: creating a provider or profile whose name is taken. */
    public static final String ALREADY_EXISTS = "already_exists";
    /** 409: deleting a provider that profiles still use. */
    public static final String IN_USE = "in_use";
    /** 422: a profile's chain names a provider that does not exist. */
    public static final String UNKNOWN_PROVIDER = "unknown_provider";
    public static final String INTERNAL = "internal";

    public static Problem invalidRequest(String detail) {
        return new Problem(400, INVALID_REQUEST, detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, NOT_FOUND, detail);
    }

    /** The code for a status produced outside our code (routing, content negotiation). */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> CONFLICT;
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable_content";
            default -> status >= 500 ? INTERNAL : "http_" + status;
        };
    }

    public String title() {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        // Jakarta REST has no constant for 422; RFC 9110 names it.
        return status == 422 ? "Unprocessable Content" : "HTTP " + status;
    }

    public String toJson() {
        return new JsonObject()
                .put("type", "about:blank")
                .put("title", title())
                .put("status", status)
                .put("detail", detail)
                .put("code", code)
                .encode();
    }

    public Response.ResponseBuilder toResponseBuilder() {
        return Response.status(status).type(MEDIA_TYPE).entity(toJson());
    }

    public Response toResponse() {
        return toResponseBuilder().build();
    }
}
