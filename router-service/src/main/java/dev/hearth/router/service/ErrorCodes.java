package dev.hearth.router.service;

import dev.hearth.proto.v1.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Maps failures of downstream calls to the stable client error codes of PROTOCOL.md. */
public final class ErrorCodes {

    /** Trailer in which llm-adapter-service reports a provider's Retry-After. */
    public static final Metadata.Key<String> RETRY_AFTER_MS =
            Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);

    private ErrorCodes() {
    }

    public static ErrorInfo fromFailure(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        String code = switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> "timeout";
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> "provider_unavailable";
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION,
                    UNIMPLEMENTED, OUT_OF_RANGE -> "provider_error";
            default -> "internal";
        };
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        ErrorInfo.Builder error = ErrorInfo.newBuilder().setCode(code).setMessage(message);
        retryAfterMs(failure).ifPresent(error::setRetryAfterMs);
        return error.build();
    }

    private static java.util.OptionalLong retryAfterMs(Throwable failure) {
        if (failure instanceof StatusRuntimeException sre && sre.getTrailers() != null) {
            String value = sre.getTrailers().get(RETRY_AFTER_MS);
            if (value != null) {
                try {
                    return java.util.OptionalLong.of(Long.parseLong(value.trim()));
                } catch (NumberFormatException ignored) {
                    // a malformed hint is no hint
                }
            }
        }
        return java.util.OptionalLong.empty();
    }
}
