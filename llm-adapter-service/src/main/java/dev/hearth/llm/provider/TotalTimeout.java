package dev.hearth.llm.provider;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Fails a stream that is still running after a budget. Mutiny's {@code ifNoItem()} bounds the
 * gap between items only, and SmallRye FT's {@code @Timeout} does nothing on a {@code Multi}.
 */
public final class TotalTimeout {

    private TotalTimeout() {
    }

    public static <T> Multi<T> within(Multi<T> stream, Duration budget, Supplier<? extends Throwable> onExpiry) {
        return Multi.createFrom().emitter(emitter -> {
            // The emitter serializes signals, so the timer may race the stream safely. Whatever
            // ends the stream (item stream done, timer, downstream cancel) cancels the rest.
            AtomicBoolean terminated = new AtomicBoolean();
            AtomicReference<Cancellable> timer = new AtomicReference<>();
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            emitter.onTermination(() -> {
                terminated.set(true);
                cancel(timer);
                cancel(upstream);
            });
            timer.set(Uni.createFrom().voidItem().onItem().delayIt().by(budget)
                    .subscribe().with(ignored -> emitter.fail(onExpiry.get())));
            upstream.set(stream.subscribe().with(emitter::emit, emitter::fail, emitter::complete));
            if (terminated.get()) {
                // ended while we were still subscribing: make sure nothing is left running
                cancel(timer);
                cancel(upstream);
            }
        });
    }

    private static void cancel(AtomicReference<Cancellable> ref) {
        Cancellable cancellable = ref.get();
        if (cancellable != null) {
            cancellable.cancel();
        }
    }
}
