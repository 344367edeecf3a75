package dev.hearth.gateway.security;

/**
 * Why a WebSocket upgrade is refused: the HTTP status and the body's stable error code. Failing the
 * upgrade check with this lets {@link UpgradeRefusals} answer with a JSON body, which a rejected
 * {@code CheckResult} cannot carry.
 */
public class UpgradeRefusedException extends RuntimeException {

    private final int status;
    private final String code;
    private final long retryAfterMs;

    public UpgradeRefusedException(int status, String code, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 0: no hint. */
    public long retryAfterMs() {
        return retryAfterMs;
    }
}
