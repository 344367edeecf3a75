package dev.hearth.router.client;

import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * First-item and idle timeouts for a stream. Mutiny's {@code ifNoItem()} has one duration for every
 * item, but a model's first token legitimately takes longer than the gap between later ones.
 * A timeout fails the stream with DEADLINE_EXCEEDED and cancels the upstream.
 */
public final class StreamDeadlines {

    private StreamDeadlines() {
    }

    public static <T> Multi<T> apply(Multi<T> upstream, Duration firstItem, Duration idle) {
        return Multi.createFrom().<T>emitter(emitter -> new Watch<T>(emitter, firstItem, idle).start(upstream));
    }

    private static final class Watch<T> {
        private final MultiEmitter<? super T> emitter;
        private final Duration firstItem;
        private final Duration idle;
        private ScheduledFuture<?> timer;
        private Cancellable subscription;
        private boolean seenItem;

        Watch(MultiEmitter<? super T> emitter, Duration firstItem, Duration idle) {
            this.emitter = emitter;
            this.firstItem = firstItem;
            this.idle = idle;
        }

        void start(Multi<T> upstream) {
            emitter.onTermination(this::stop);
            arm();
            Cancellable s = upstream.subscribe().with(this::onItem, this::onFailure, this::onComplete);
            synchronized (this) {
                subscription = s;
            }
        }

        private void onItem(T item) {
            synchronized (this) {
                seenItem = true;
            }
            arm();
            emitter.emit(item);
        }

        private void onFailure(Throwable failure) {
            disarm();
            emitter.fail(failure);
        }

        private void onComplete() {
            disarm();
            emitter.complete();
        }

        private synchronized void arm() {
            Duration wait = seenItem ? idle : firstItem;
            String what = seenItem ? "no token for " : "no first token within ";
            if (timer != null) {
                timer.cancel(false);
            }
            timer = Infrastructure.getDefaultWorkerPool().schedule(() -> {
                cancelUpstream();
                emitter.fail(Status.DEADLINE_EXCEEDED
                        .withDescription(what + wait.toMillis() + " ms").asRuntimeException());
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void disarm() {
            if (timer != null) {
                timer.cancel(false);
            }
        }

        private void stop() {
            disarm();
            cancelUpstream();
        }

        private void cancelUpstream() {
            Cancellable s;
            synchronized (this) {
                s = subscription;
            }
            if (s != null) {
                s.cancel();
            }
        }
    }
}
