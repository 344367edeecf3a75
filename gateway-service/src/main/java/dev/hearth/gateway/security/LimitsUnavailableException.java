package dev.hearth.gateway.security;

import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;

/**
 * Redis, which counts the per-key limits, cannot be reached: the request is refused rather than
 * let through uncounted ({@code internal} on the WebSocket, HTTP 503).
 */
public class LimitsUnavailableException extends ProtocolException {

    public LimitsUnavailableException() {
        super(ErrorCode.INTERNAL, "limits cannot be checked now; try again shortly", 1000);
    }
}
