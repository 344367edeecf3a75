package dev.hearth.gateway.ws;

/** A client message that cannot be served; answered with an error event, the connection stays. */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final long retryAfterMs;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    /** {@code retryAfterMs} > 0 tells the client when trying again can succeed ({@code rate_limited}). */
    public ProtocolException(ErrorCode code, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    /** 0 when there is no hint. */
    public long retryAfterMs() {
        return retryAfterMs;
    }
}
