package dev.hearth.gateway.rest;

import dev.hearth.gateway.security.AuthUnavailableException;
import dev.hearth.gateway.security.AuthenticationException;
import dev.hearth.gateway.security.LimitsUnavailableException;
import dev.hearth.gateway.security.PermissionException;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.proto.v1.ErrorInfo;
import io.grpc.Status;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Maps what can go wrong behind {@code /v1} to {@link OpenAiError}s with the right HTTP status. */
final class OpenAiErrors {

    private static final Logger LOG = Logger.getLogger(OpenAiErrors.class);

    private OpenAiErrors() {
    }

    static OpenAiError of(Throwable failure) {
        if (failure instanceof OpenAiError error) {
            return error;
        }
        if (failure instanceof AuthenticationException) {
            return OpenAiError.invalidApiKey(failure.getMessage());
        }
        if (failure instanceof PermissionException) {
            return OpenAiError.forbidden(failure.getMessage());
        }
        if (failure instanceof AuthUnavailableException || failure instanceof LimitsUnavailableException) {
            return new OpenAiError(503, "server_error", "service_unavailable", null, failure.getMessage(), 1000);
        }
        if (failure instanceof ProtocolException problem) {
            return hearthCode(problem.code().wire(), problem.getMessage(), problem.retryAfterMs());
        }
        if (failure instanceof io.grpc.StatusRuntimeException || failure instanceof io.grpc.StatusException) {
            return grpc(Status.fromThrowable(failure));
        }
        LOG.errorf(failure, "unexpected failure behind /v1");
        return new OpenAiError(500, "server_error", "internal", null, "internal error", 0);
    }

    /** A gRPC status of a failed router call. */
    static OpenAiError grpc(Status status) {
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> new OpenAiError(503, "server_error", "service_unavailable", null,
                    "the router is unreachable; try again shortly", 1000);
            case DEADLINE_EXCEEDED -> new OpenAiError(504, "server_error", "timeout", null,
                    "the answer took too long: " + description, 0);
            case NOT_FOUND -> new OpenAiError(404, "invalid_request_error", "model_not_found", "model", description, 0);
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> OpenAiError.invalidRequest(null, description);
            case UNAUTHENTICATED -> OpenAiError.invalidApiKey(description);
            case PERMISSION_DENIED -> OpenAiError.forbidden(description);
            case RESOURCE_EXHAUSTED -> new OpenAiError(429, "requests", "rate_limit_exceeded", null, description, 0);
            case CANCELLED -> new OpenAiError(502, "server_error", "cancelled", null, "the answer was cancelled upstream", 0);
            default -> new OpenAiError(502, "server_error", "provider_error", null, description, 0);
        };
    }

    /** An error event of the router's stream (its code is one of PROTOCOL.md's). */
    static OpenAiError routerError(ErrorInfo error) {
        return hearthCode(error.getCode().toLowerCase(Locale.ROOT), error.getMessage(), error.getRetryAfterMs());
    }

    private static OpenAiError hearthCode(String code, String message, long retryAfterMs) {
        return switch (code) {
            case "invalid_message", "message_too_large" -> new OpenAiError(400, "invalid_request_error", code, null, message, 0);
            case "unauthorized" -> OpenAiError.invalidApiKey(message);
            case "forbidden" -> OpenAiError.forbidden(message);
            case "model_not_found", "profile_not_found", "not_found" ->
                    new OpenAiError(404, "invalid_request_error", "model_not_found", "model", message, 0);
            case "rate_limited" -> new OpenAiError(429, "requests", "rate_limit_exceeded", null, message, retryAfterMs);
            case "too_many_streams", "too_many_clients" -> new OpenAiError(429, "requests", code, null, message, retryAfterMs);
            case "provider_unavailable" -> new OpenAiError(503, "server_error", code, null, message, retryAfterMs);
            case "timeout" -> new OpenAiError(504, "server_error", code, null, message, 0);
            case "provider_error" -> new OpenAiError(502, "server_error", code, null, message, retryAfterMs);
            default -> new OpenAiError(500, "server_error", code.isEmpty() ? "internal" : code, null, message, retryAfterMs);
        };
    }
}
