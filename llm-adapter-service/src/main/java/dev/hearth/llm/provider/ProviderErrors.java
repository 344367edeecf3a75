package dev.hearth.llm.provider;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;

import dev.hearth.llm.client.UpstreamHttpException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.vertx.core.VertxException;

/**
 * Every failure of a provider call becomes the gRPC status the router acts on (see the
 * {@code LlmAdapter} service comment in llm.proto). One place, so every dialect maps alike.
 */
public final class ProviderErrors {

    /** Trailer carrying the provider's retry hint in milliseconds, when it gave one. */
    public static final Metadata.Key<String> RETRY_AFTER_MS = Metadata.Key.of("retry-after-ms",
            Metadata.ASCII_STRING_MARSHALLER);

    /** Anthropic's non-standard status for "the API is temporarily overloaded". */
    public static final int OVERLOADED = 529;

    private ProviderErrors() {
    }

    /** The gRPC code for a provider's HTTP error status. */
    public static Status.Code codeForHttpStatus(int httpStatus) {
        return switch (httpStatus) {
            case 400, 413, 422 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            // OpenRouter and others answer 402 when the account's credits are gone: a quota.
            case 402, 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            case 408, 504 -> Status.Code.DEADLINE_EXCEEDED;
            // A conflict with another request in flight (Anthropic documents 409 as such): the
            // same request may well succeed when tried again, unlike the other 4xx.
            case 409 -> Status.Code.ABORTED;
            // Anthropic's "overloaded": its capacity, not our request nor our quota.
            case OVERLOADED -> Status.Code.UNAVAILABLE;
            default -> {
                if (httpStatus >= 400 && httpStatus < 500) {
                    yield Status.Code.INVALID_ARGUMENT; // some other complaint about our request
                }
                // 5xx, and 1xx/3xx that no chat completions endpoint should answer
                yield Status.Code.UNAVAILABLE;
            }
        };
    }

    /**
     * @param provider      the provider's name as configured, for the description
     * @param httpStatus    what it answered
     * @param message       its own words ({@link UpstreamErrorMessage}), may be empty
     * @param retryAfterMs  its retry hint, attached as the {@link #RETRY_AFTER_MS} trailer
     */
    public static StatusRuntimeException fromHttpStatus(String provider, int httpStatus, String message,
            OptionalLong retryAfterMs) {
        String description = "provider '" + provider + "' answered HTTP " + httpStatus
                + (httpStatus == OVERLOADED ? " (overloaded)" : "")
                + (message == null || message.isBlank() ? "" : ": " + message);
        Metadata trailers = new Metadata();
        retryAfterMs.ifPresent(ms -> trailers.put(RETRY_AFTER_MS, Long.toString(ms)));
        return Status.fromCode(codeForHttpStatus(httpStatus)).withDescription(description).asRuntimeException(trailers);
    }

    /** Any failure on the way to or from a provider; statuses already built pass through. */
    public static StatusRuntimeException fromFailure(String provider, Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof StatusException status) {
            return status.getStatus().asRuntimeException(status.getTrailers());
        }
        UpstreamHttpException http = causeOfType(failure, UpstreamHttpException.class);
        if (http != null) {
            return fromHttpStatus(provider, http.status(), UpstreamErrorMessage.of(http.body()),
                    RetryAfter.toMillis(http.retryAfterMs(), http.retryAfter(), Instant.now()));
        }
        // ConnectException covers Netty's ConnectTimeoutException: an unreachable host, not a slow answer.
        if (causeOfType(failure, ConnectException.class) != null
                || causeOfType(failure, UnknownHostException.class) != null) {
            return Status.UNAVAILABLE.withDescription("cannot connect to provider '" + provider + "': "
                    + messageOf(failure)).withCause(failure).asRuntimeException();
        }
        if (causeOfType(failure, TimeoutException.class) != null) {
            return Status.DEADLINE_EXCEEDED.withDescription("provider '" + provider
                    + "' went silent for longer than the idle timeout: " + messageOf(failure))
                    .withCause(failure).asRuntimeException();
        }
        // Resets, closed connections, TLS failures: Vert.x reports them as IOExceptions or VertxExceptions.
        if (causeOfType(failure, IOException.class) != null || causeOfType(failure, VertxException.class) != null) {
            return Status.UNAVAILABLE.withDescription("connection to provider '" + provider + "' failed: "
                    + messageOf(failure)).withCause(failure).asRuntimeException();
        }
        return internal(failure);
    }

    /** The upstream ended its answer without saying it was finished: the caller must not take it as whole. */
    public static StatusRuntimeException truncated(String provider) {
        return Status.UNAVAILABLE.withDescription("provider '" + provider
                + "': upstream closed the stream before finishing").asRuntimeException();
    }

    /** The upstream sent something that is not its protocol (not JSON, wrong shape). */
    public static StatusRuntimeException malformed(String provider, String what) {
        return Status.UNKNOWN.withDescription("provider '" + provider + "' sent malformed data: " + what)
                .asRuntimeException();
    }

    public static StatusRuntimeException invalidArgument(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }

    /** Last resort at the gRPC edge: a status stays as it is, anything else is our bug. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof StatusException status) {
            return status.getStatus().asRuntimeException(status.getTrailers());
        }
        return internal(failure);
    }

    private static StatusRuntimeException internal(Throwable failure) {
        return Status.INTERNAL.withDescription("llm-adapter failed: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()))
                .withCause(failure).asRuntimeException();
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String messageOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
