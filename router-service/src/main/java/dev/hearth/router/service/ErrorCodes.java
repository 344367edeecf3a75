package dev.hearth.router.service;

import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.router.chain.FailureKind;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** Maps failures of downstream calls to the stable client error codes of PROTOCOL.md. */
public final class ErrorCodes {

    /** Trailer in which llm-adapter-service reports a provider's Retry-After. */
    public static final Metadata.Key<String> RETRY_AFTER_MS =
            Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);

    private ErrorCodes() {
    }

    public static ErrorInfo fromFailure(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        String code = code(failure);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        ErrorInfo.Builder error = ErrorInfo.newBuilder().setCode(code).setMessage(message);
        retryAfterMs(failure).ifPresent(error::setRetryAfterMs);
        return error.build();
    }

    private static String code(Throwable failure) {
        if (FailureKind.of(failure) == FailureKind.REQUEST_REJECTED) {
            return "invalid_message"; // the adapter found fault with the request's own content
        }
        return switch (Status.fromThrowable(failure).getCode()) {
            case DEADLINE_EXCEEDED -> "timeout";
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> "provider_unavailable";
            // UNKNOWN is the adapter's word for a provider that sent malformed data
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION,
                    UNIMPLEMENTED, OUT_OF_RANGE, UNKNOWN -> "provider_error";
            default -> "internal";
        };
    }

    /** Why the chain left a target, as the stable code a {@code Handover} carries. */
    public static String handoverReason(Throwable failure) {
        return Status.fromThrowable(failure).getCode() == Status.Code.RESOURCE_EXHAUSTED ? "rate_limited" : code(failure);
    }

    /** The provider's retry hint, when the adapter passed one on. */
    public static Optional<Duration> retryAfter(Throwable failure) {
        OptionalLong ms = retryAfterMs(failure);
        return ms.isPresent() && ms.getAsLong() >= 0 ? Optional.of(Duration.ofMillis(ms.getAsLong())) : Optional.empty();
    }

    private static OptionalLong retryAfterMs(Throwable failure) {
        if (failure instanceof StatusRuntimeException sre && sre.getTrailers() != null) {
            String value = sre.getTrailers().get(RETRY_AFTER_MS);
            if (value != null) {
                try {
                    return OptionalLong.of(Long.parseLong(value.trim()));
                } catch (NumberFormatException ignored) {
                    // a malformed hint is no hint
                }
            }
        }
        return OptionalLong.empty();
    }
}
