package dev.hearth.llm.client;

/**
 * A provider answered with an error status. Carries what the mapping to a gRPC status needs;
 * the body stays raw because every provider words its errors differently.
 */
public class UpstreamHttpException extends RuntimeException {

    private final int status;
    private final String body;
    private final String retryAfter;
    private final String retryAfterMs;

    public UpstreamHttpException(int status, String body, String retryAfter, String retryAfterMs) {
        super("upstream answered HTTP " + status, null, false, false);
        this.status = status;
        this.body = body == null ? "" : body;
        this.retryAfter = retryAfter;
        this.retryAfterMs = retryAfterMs;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    /** The standard {@code Retry-After} header (seconds or an HTTP date), or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /** OpenAI's finer-grained {@code retry-after-ms} header, or null. */
    public String retryAfterMs() {
        return retryAfterMs;
    }
}
