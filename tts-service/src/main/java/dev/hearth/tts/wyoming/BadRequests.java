package dev.hearth.tts.wyoming;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Bad Wyoming requests, reported as an {@code error} event with code {@code bad-request}. */
final class BadRequests {

    private BadRequests() {
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
