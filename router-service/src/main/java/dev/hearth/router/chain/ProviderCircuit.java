package dev.hearth.router.chain;

/**
 * One provider's circuit: closed while it answers; open for a cool-down after too many consecutive
 * failures (or when it asked for a long pause); then half-open, letting exactly one probe call
 * through whose outcome closes or reopens it.
 */
final class ProviderCircuit {

    enum State {
        CLOSED(0), OPEN(1), HALF_OPEN(2);

        /** The value of the circuit-state gauge. */
        final int gauge;

        State(int gauge) {
            this.gauge = gauge;
        }
    }

    private final int threshold;
    private final long coolDownNanos;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openUntil;
    private boolean probing;

    ProviderCircuit(int threshold, long coolDownNanos) {
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
    }

    /** A permit to call the provider, or null while it is open (or its one probe is under way). */
    synchronized Permit tryAcquire(long now) {
        if (state == State.OPEN) {
            if (now - openUntil < 0) {
                return null;
            }
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.HALF_OPEN) {
            if (probing) {
                return null;
            }
            probing = true;
            return new Permit(this, true);
        }
        return new Permit(this, false);
    }

    /** How long the provider stays unavailable, for a client's retry hint. */
    synchronized long remainingNanos(long now) {
        return state == State.OPEN ? Math.max(0, openUntil - now) : 0;
    }

    synchronized State state(long now) {
        return state == State.OPEN && now - openUntil >= 0 ? State.HALF_OPEN : state;
    }

    /** The provider asked for a pause (a Retry-After longer than the chain waits): honour it. */
    synchronized void coolDown(long now, long nanos) {
        long until = now + nanos;
        if (state != State.OPEN || until - openUntil > 0) {
            openUntil = until;
        }
        state = State.OPEN;
        probing = false;
    }

    private synchronized void succeeded(boolean probe) {
        consecutiveFailures = 0;
        if (probe || state != State.OPEN) {
            state = State.CLOSED;
            probing = false;
        }
    }

    private synchronized void failed(boolean probe, long now) {
        consecutiveFailures++;
        if (probe || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openUntil = now + coolDownNanos;
            probing = false;
        }
    }

    private synchronized void released(boolean probe) {
        if (probe && state == State.HALF_OPEN) {
            probing = false; // the probe said nothing (cancelled): the next call probes
        }
    }

    /** One call's right to use the provider; settled exactly once by its outcome. */
    static final class Permit {
        private final ProviderCircuit circuit;
        private final boolean probe;
        private boolean settled;

        private Permit(ProviderCircuit circuit, boolean probe) {
            this.circuit = circuit;
            this.probe = probe;
        }

        synchronized void success() {
            if (!settled) {
                settled = true;
                circuit.succeeded(probe);
            }
        }

        synchronized void failure(long now) {
            if (!settled) {
                settled = true;
                circuit.failed(probe, now);
            }
        }

        synchronized void release() {
            if (!settled) {
                settled = true;
                circuit.released(probe);
            }
        }
    }
}
