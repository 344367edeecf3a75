package dev.hearth.gateway.security;

/**
 * What the upgrade check granted one WebSocket connection: the principal, the API key to re-verify it
 * with (null while authentication is off), and its connection slot. Kept in the connection's
 * user data.
 */
final class ConnectionGrant {

    private enum State { ADMITTED, OPEN, CLOSED }

    final String apiKey;
    private final RateLimiter.Slot slot;
    private volatile Principal principal;
    private State state = State.ADMITTED;
    private long expiryTimer = -1;

    ConnectionGrant(String apiKey, Principal principal, RateLimiter.Slot slot) {
        this.apiKey = apiKey;
        this.principal = principal;
        this.slot = slot;
    }

    Principal principal() {
        return principal;
    }

    void principal(Principal principal) {
        this.principal = principal;
    }

    /** True the first time, unless the connection already closed (open and close events race). */
    synchronized boolean open() {
        if (state != State.ADMITTED) {
            return false;
        }
        state = State.OPEN;
        slot.hold();
        return true;
    }

    /** Releases the slot; returns the expiry timer to cancel, or -1. */
    synchronized long close() {
        if (state == State.CLOSED) {
            return -1;
        }
        state = State.CLOSED;
        slot.release();
        long timer = expiryTimer;
        expiryTimer = -1;
        return timer;
    }

    synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    /** Sets the expiry timer; returns the one it replaces, or -1. */
    synchronized long expiryTimer(long timer) {
        long previous = expiryTimer;
        expiryTimer = timer;
        return previous;
    }
}
