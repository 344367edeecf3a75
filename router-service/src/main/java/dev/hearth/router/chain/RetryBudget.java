package dev.hearth.router.chain;

import dev.hearth.router.config.ChainConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Caps retries at a share of the calls made (after gRPC's retry throttling and Finagle's
 * RetryBudget): when every provider struggles, retries must not multiply the load on them. Counts
 * live in buckets over a sliding window; a floor of retries per window keeps a quiet system able to
 * retry at all.
 */
@ApplicationScoped
public class RetryBudget {

    private static final int BUCKETS = 10;

    private final ChainClock clock;
    private final double ratio;
    private final int minRetries;
    private final long bucketNanos;
    private final long[] epochs = new long[BUCKETS];
    private final long[] calls = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];

    public RetryBudget(ChainClock clock, ChainConfig config) {
        this.clock = clock;
        this.ratio = config.retryBudget().ratio();
        this.minRetries = config.retryBudget().minRetries();
        this.bucketNanos = Math.max(1, config.retryBudget().window().toNanos() / BUCKETS);
        java.util.Arrays.fill(epochs, Long.MIN_VALUE);
    }

    /** A generation started: it earns the budget a share of a retry. */
    public synchronized void deposit() {
        calls[slot()]++;
    }

    /** True, and the retry counted, when the window's budget has room for one more. */
    public synchronized boolean tryWithdraw() {
        int current = slot();
        long now = epochs[current];
        long callSum = 0;
        long retrySum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epochs[i] > now - BUCKETS) {
                callSum += calls[i];
                retrySum += retries[i];
            }
        }
        if (retrySum + 1 > minRetries + ratio * callSum) {
            return false;
        }
        retries[current]++;
        return true;
    }

    private int slot() {
        long epoch = Math.floorDiv(clock.nanos(), bucketNanos);
        int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
        if (epochs[slot] != epoch) {
            epochs[slot] = epoch;
            calls[slot] = 0;
            retries[slot] = 0;
        }
        return slot;
    }
}
