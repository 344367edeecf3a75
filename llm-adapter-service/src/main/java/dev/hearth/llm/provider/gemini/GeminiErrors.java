package dev.hearth.llm.provider.gemini;

import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.llm.client.UpstreamHttpException;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.provider.RetryAfter;
import dev.hearth.llm.provider.UpstreamErrorMessage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Gemini's error answers, {@code {"error": {"code", "message", "status", "details": [...]}}}, as
 * the gRPC statuses {@link ProviderErrors} gives every dialect. Two things only Gemini says: its
 * retry hint is a {@code google.rpc.RetryInfo} detail ({@code "retryDelay": "30s"}) more often
 * than a {@code Retry-After} header, and a wrong API key is a 400 with reason
 * {@code API_KEY_INVALID}, which the contract calls UNAUTHENTICATED.
 */
final class GeminiErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
    private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";
    // google.protobuf.Duration in JSON: seconds with up to nine fractional digits, then "s"
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d{1,9})?)s");
    private static final String MODEL_TURN_REFUSED = "ending with a model turn";

    private GeminiErrors() {
    }

    /** Any failure of a Gemini call; HTTP error answers read for Gemini's message and hints. */
    static StatusRuntimeException fromFailure(String provider, Throwable failure) {
        UpstreamHttpException http = httpError(failure);
        if (http == null) {
            return ProviderErrors.fromFailure(provider, failure);
        }
        JsonNode error = errorOf(http.body());
        OptionalLong retryAfter = RetryAfter.toMillis(http.retryAfterMs(), http.retryAfter(), Instant.now());
        if (retryAfter.isEmpty() && error != null) {
            retryAfter = retryDelay(error);
        }
        String message = error == null ? UpstreamErrorMessage.of(http.body()) : messageOf(error);
        StatusRuntimeException status = ProviderErrors.fromHttpStatus(provider, http.status(), message, retryAfter);
        return invalidKey(error) ? Status.UNAUTHENTICATED.withDescription(status.getStatus().getDescription())
                .asRuntimeException(status.getTrailers()) : status;
    }

    /** An {@code {"error": ...}} event sent after the 200, e.g. the model overloaded mid-answer. */
    static StatusRuntimeException inStream(String provider, JsonNode error) {
        String message = messageOf(error);
        int httpStatus = error.path("code").canConvertToInt() ? error.path("code").asInt() : 0;
        if (httpStatus < 400 || httpStatus >= 600) {
            httpStatus = httpStatusOf(error.path("status").asText(""));
        }
        if (httpStatus == 0) {
            return Status.UNAVAILABLE.withDescription("provider '" + provider + "' failed mid-stream: " + message)
                    .asRuntimeException();
        }
        StatusRuntimeException status = ProviderErrors.fromHttpStatus(provider, httpStatus, message, retryDelay(error));
        return invalidKey(error) ? Status.UNAUTHENTICATED.withDescription(status.getStatus().getDescription())
                .asRuntimeException(status.getTrailers()) : status;
    }

    /** Newer models refuse to continue a trailing {@code model} turn: "Requests ending with a model turn are not supported". */
    static boolean refusesTrailingModelTurn(Throwable failure) {
        UpstreamHttpException http = httpError(failure);
        return http != null && http.status() == 400
                && http.body().toLowerCase(Locale.ROOT).contains(MODEL_TURN_REFUSED);
    }

    /** The {@code RetryInfo} detail's delay in ms, if the error has one. */
    static OptionalLong retryDelay(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (RETRY_INFO.equals(detail.path("@type").asText())) {
                Matcher m = DURATION.matcher(detail.path("retryDelay").asText("").strip());
                if (m.matches()) {
                    return OptionalLong.of((long) Math.ceil(Double.parseDouble(m.group(1)) * 1000));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean invalidKey(JsonNode error) {
        if (error == null) {
            return false;
        }
        for (JsonNode detail : error.path("details")) {
            if (ERROR_INFO.equals(detail.path("@type").asText()) && "API_KEY_INVALID".equals(detail.path("reason").asText())) {
                return true;
            }
        }
        return false;
    }

    // The error object of a body: {"error": {...}}, or that wrapped in an array (how Gemini
    // answers when it had begun a JSON-array stream), or null for anything else.
    private static JsonNode errorOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root.isArray() && !root.isEmpty()) {
                root = root.get(0);
            }
            JsonNode error = root.path("error");
            return error.isObject() ? error : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String messageOf(JsonNode error) {
        String message = UpstreamErrorMessage.fromJson(error);
        String status = error.path("status").asText("");
        if (message == null || message.isBlank()) {
            return status.isEmpty() ? error.toString() : status;
        }
        return status.isEmpty() ? message : message + " (" + status + ")";
    }

    // google.rpc.Code names, as Gemini puts them in "status", to the HTTP status it pairs them with.
    private static int httpStatusOf(String rpcCode) {
        return switch (rpcCode) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "ABORTED", "ALREADY_EXISTS" -> 409;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> 500;
            case "UNIMPLEMENTED" -> 501;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 0;
        };
    }

    private static UpstreamHttpException httpError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamHttpException http) {
                return http;
            }
        }
        return null;
    }
}
