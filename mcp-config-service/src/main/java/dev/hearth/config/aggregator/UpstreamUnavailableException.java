package dev.hearth.config.aggregator;

/** A call could not reach its upstream: not connected (why is in the message), or the transport failed. */
public class UpstreamUnavailableException extends RuntimeException {

    public UpstreamUnavailableException(String message) {
        super(message, null, false, false);
    }
}
