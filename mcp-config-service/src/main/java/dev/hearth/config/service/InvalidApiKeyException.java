package dev.hearth.config.service;

/** A presented API key is not valid: missing, unknown, revoked or expired. The message says which. */
public class InvalidApiKeyException extends RuntimeException {

    public InvalidApiKeyException(String message) {
        // No stack trace: this is an answer, not a failure, and it happens on every bad request.
        super(message, null, false, false);
    }
}
