package dev.hearth.router.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A bidirectional gRPC call driven by events: messages are sent as they come, answers go to a
 * {@link Listener}. Sending respects HTTP/2 flow control: while the callee is not ready, messages
 * wait here, and more than {@code maxPending} bytes of them fail the call (a callee that cannot keep
 * up must not make the router hold a caller's audio without bound). Cancelling cancels the call on
 * the wire (the generated Mutiny stubs do not; see GrpcStreams). Thread-safe.
 */
public final class DuplexCall<I, O> {

    /** Answers of the call; exactly one of {@code failed}/{@code completed} ends it (none after cancel). */
    public interface Listener<O> {
        void onAnswer(O answer);

        void failed(Throwable failure);

        void completed();
    }

    /** Fails the call when too much waits to be sent. */
    public static final class Overflow extends RuntimeException {
        public Overflow(String message) {
            super(message);
        }
    }

    private final ToIntFunction<I> sizeOf;
    private final int maxPending;
    private final ArrayDeque<I> pending = new ArrayDeque<>();
    private final Listener<O> listener;
    private ClientCallStreamObserver<I> requests;
    private long pendingBytes;
    private boolean halfClosePending;
    private boolean closed;

    private DuplexCall(Listener<O> listener, ToIntFunction<I> sizeOf, int maxPending) {
        this.listener = listener;
        this.sizeOf = sizeOf;
        this.maxPending = maxPending;
    }

    /** Starts the call ({@code stub::method} of an async stub). */
    public static <I, O> DuplexCall<I, O> open(Function<StreamObserver<O>, StreamObserver<I>> method,
            Listener<O> listener, ToIntFunction<I> sizeOf, int maxPending) {
        DuplexCall<I, O> call = new DuplexCall<>(listener, sizeOf, maxPending);
        method.apply(call.new Answers());
        return call;
    }

    public void send(I message) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending.isEmpty() && requests.isReady()) {
                requests.onNext(message);
                return;
            }
            pending.add(message);
            pendingBytes += sizeOf.applyAsInt(message);
            if (pendingBytes <= maxPending) {
                return;
            }
        }
        cancel("more than " + maxPending + " bytes waiting to be sent");
        listener.failed(new Overflow("the callee is not keeping up: more than " + maxPending
                + " bytes are waiting to be sent to it"));
    }

    /** No more messages: the callee finishes its answers. */
    public synchronized void halfClose() {
        if (closed || halfClosePending) {
            return;
        }
        if (pending.isEmpty()) {
            closed = true;
            requests.onCompleted();
        } else {
            halfClosePending = true;
        }
    }

    /** Cancels the call unless it has ended; the listener hears nothing more. */
    public void cancel(String why) {
        ClientCallStreamObserver<I> call;
        synchronized (this) {
            call = requests;
            closed = true;
            pending.clear();
            if (finished) {
                return;
            }
            finished = true;
        }
        call.cancel(why, null);
    }

    private boolean finished;

    private synchronized boolean finish() {
        boolean first = !finished;
        finished = true;
        closed = true;
        return first;
    }

    private synchronized void drain() {
        while (!pending.isEmpty() && requests.isReady() && !closed) {
            I message = pending.poll();
            pendingBytes -= sizeOf.applyAsInt(message);
            requests.onNext(message);
        }
        if (pending.isEmpty() && halfClosePending && !closed) {
            closed = true;
            requests.onCompleted();
        }
    }

    private final class Answers implements ClientResponseObserver<I, O> {
        @Override
        public void beforeStart(ClientCallStreamObserver<I> stream) {
            synchronized (DuplexCall.this) {
                requests = stream;
            }
            stream.setOnReadyHandler(DuplexCall.this::drain);
        }

        @Override
        public void onNext(O value) {
            boolean live;
            synchronized (DuplexCall.this) {
                live = !finished;
            }
            if (live) {
                listener.onAnswer(value);
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (finish()) {
                listener.failed(failure);
            }
        }

        @Override
        public void onCompleted() {
            if (finish()) {
                listener.completed();
            }
        }
    }
}
