package dev.hearth.router.chain;

import dev.hearth.router.config.ChainConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out. */
final class Backoff {

    private Backoff() {
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    static Duration before(int retry, ChainConfig.Backoff config) {
        long initial = Math.max(1, config.initial().toMillis());
        long step = Math.min(config.max().toMillis(), initial << Math.min(retry - 1, 20));
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(step - half + 1));
    }
}
