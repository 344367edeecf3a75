package dev.hearth.gateway.ws;

/** The stable error codes of PROTOCOL.md, as clients see them. */
public enum ErrorCode {
    INVALID_MESSAGE("invalid_message"),
    UNKNOWN_ACTION("unknown_action"),
    MESSAGE_TOO_LARGE("message_too_large"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    RATE_LIMITED("rate_limited"),
    STREAM_NOT_FOUND("stream_not_found"),
    STREAM_GAP("stream_gap"),
    TOO_MANY_STREAMS("too_many_streams"),
    TOO_MANY_CLIENTS("too_many_clients"),
    PROVIDER_UNAVAILABLE("provider_unavailable"),
    PROVIDER_ERROR("provider_error"),
    TIMEOUT("timeout"),
    INTERNAL("internal"),
    /** A voice turn heard no speech (from the router). */
    NO_SPEECH("no_speech"),
    /** Speech recognition or synthesis cannot be reached or is not configured (from the router). */
    SPEECH_UNAVAILABLE("speech_unavailable"),
    /** An extension of PROTOCOL.md: the client was taken off a stream for not reading; resubscribe with after_seq. */
    SLOW_CONSUMER("slow_consumer");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
