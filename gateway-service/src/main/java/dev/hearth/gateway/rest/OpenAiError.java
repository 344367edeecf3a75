package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An error of the OpenAI-compatible API, in OpenAI's shape
 * {@code {"error":{"message","type","param","code"}}} with its HTTP status (and Retry-After).
 */
public class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final long retryAfterMs;

    public OpenAiError(int status, String type, String code, String param, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterMs = retryAfterMs;
    }

    public static OpenAiError invalidRequest(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_request", param, message, 0);
    }

    public static OpenAiError invalidApiKey(String message) {
        return new OpenAiError(401, "invalid_request_error", "invalid_api_key", null, message, 0);
    }

    public static OpenAiError forbidden(String message) {
        return new OpenAiError(403, "permission_error", "forbidden", null, message, 0);
    }

    public static OpenAiError modelNotFound(String model) {
        return new OpenAiError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist; GET /v1/models lists the profiles", 0);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** {@code {"error":{…}}}. */
    public ObjectNode body(ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", getMessage()).put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body;
    }

    public Response response(ObjectMapper json) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(json).toString());
        if (retryAfterMs > 0) {
            // Seconds for everyone; the OpenAI SDKs also read the exact retry-after-ms.
            response.header("Retry-After", String.valueOf((retryAfterMs + 999) / 1000));
            response.header("retry-after-ms", String.valueOf(retryAfterMs));
        }
        return response.build();
    }
}
