package dev.hearth.router.chain;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A chain clock that stands still until a test moves it on. */
final class ManualClock extends ChainClock {

    private final AtomicLong now = new AtomicLong(System.nanoTime());

    @Override
    public long nanos() {
        return now.get();
    }

    void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
