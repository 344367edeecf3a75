package dev.hearth.proto.grpc;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Streaming gRPC calls as a {@link Multi} whose cancellation cancels the call.
 *
 * <p>The generated Mutiny stubs (quarkus-grpc 3.32) do not: cancelling their {@code Multi} leaves the
 * call running, so the callee would go on generating tokens for a client that has gone. Call the
 * grpc-java async stub through this instead, e.g.
 * {@code GrpcStreams.serverStream(request, adapterStub.withDeadlineAfter(...)::generate)}.
 */
public final class GrpcStreams {

    private GrpcStreams() {
    }

    /** A server-streaming call. */
    public static <I, O> Multi<O> serverStream(I request, BiConsumer<I, StreamObserver<O>> call) {
        return Multi.createFrom().emitter(emitter -> call.accept(request, new EmitterObserver<I, O>(emitter)));
    }

    /**
     * A bidirectional call used as "one request, a stream of answers" whose request side stays open
     * until the answer ends, so that cancelling it reaches the server even on the Vert.x transport
     * (see router.proto).
     */
    public static <I, O> Multi<O> openRequestStream(I request, Function<StreamObserver<O>, StreamObserver<I>> call) {
        return Multi.createFrom().emitter(emitter -> {
            EmitterObserver<I, O> answers = new EmitterObserver<>(emitter);
            StreamObserver<I> requests = call.apply(answers);
            answers.requestSide = requests;
            requests.onNext(request);
        });
    }

    /** Feeds the call's answers to the Multi and cancels the call when the Multi ends. */
    private static final class EmitterObserver<I, O> implements ClientResponseObserver<I, O> {
        private final MultiEmitter<? super O> emitter;
        /** The open request side of a bidirectional call; null for server streaming. */
        volatile StreamObserver<I> requestSide;
        private volatile boolean finished;

        EmitterObserver(MultiEmitter<? super O> emitter) {
            this.emitter = emitter;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<I> requestStream) {
            // Only a call still running is cancelled: a cancel after the answer ended would put an
            // RST_STREAM on the wire for every call, and servers guard against floods of those
            // (Netty's rapid-reset protection answers with GOAWAY ENHANCE_YOUR_CALM).
            emitter.onTermination(() -> {
                if (!finished) {
                    requestStream.cancel("cancelled by the caller", null);
                }
            });
        }

        @Override
        public void onNext(O value) {
            emitter.emit(value);
        }

        @Override
        public void onError(Throwable failure) {
            finished = true;
            // After the subscriber cancelled, the call's CANCELLED status is the echo of that, not
            // news: failing the emitter then only makes Mutiny log a dropped exception.
            if (!emitter.isCancelled()) {
                emitter.fail(failure);
            }
        }

        @Override
        public void onCompleted() {
            finished = true;
            StreamObserver<I> requests = requestSide;
            if (requests != null) {
                // The answer is complete: close our side too, so the stream ends without a reset.
                requests.onCompleted();
            }
            emitter.complete();
        }
    }
}
