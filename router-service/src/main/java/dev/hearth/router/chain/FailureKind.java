package dev.hearth.router.chain;

import io.grpc.Status;

/** What the chain does about a failed provider call (llm.proto lists the statuses the adapter answers). */
public enum FailureKind {

    /** The provider is overloaded, unreachable or slow: worth another try on the same target. */
    RETRYABLE,
    /**
     * The target cannot answer this (bad key, unknown model, provider rejected the request, garbled
     * stream): the next target may.
     */
    NEXT_TARGET,
    /** The request itself is invalid: every target would refuse it, so the chain stops. */
    REQUEST_REJECTED;

    // The adapter's own checks of the request's content name the field at fault; its checks of a
    // target's settings say "provider." or "model", and a provider's 4xx says "answered HTTP".
    private static final String[] REQUEST_FIELDS = {"messages", "tools", "params."};

    public static FailureKind of(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return switch (status.getCode()) {
            case UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, ABORTED -> RETRYABLE;
            case INVALID_ARGUMENT -> isAboutTheRequest(status.getDescription()) ? REQUEST_REJECTED : NEXT_TARGET;
            default -> NEXT_TARGET;
        };
    }

    private static boolean isAboutTheRequest(String description) {
        if (description == null) {
            return false;
        }
        for (String field : REQUEST_FIELDS) {
            if (description.startsWith(field)) {
                return true;
            }
        }
        return false;
    }

    /** Failures that say the provider is unwell, as opposed to answers about this request. */
    public boolean countsAgainstProvider() {
        return this == RETRYABLE;
    }
}
