package dev.hearth.router.chain;

import jakarta.enterprise.context.ApplicationScoped;

/** Monotonic time for cool-downs and the retry budget; a bean so tests can move it on. */
@ApplicationScoped
public class ChainClock {

    public long nanos() {
        return System.nanoTime();
    }
}
