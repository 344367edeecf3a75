package dev.hearth.gateway.client;

import com.google.protobuf.ByteString;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.proto.v1.VoiceStart;
import dev.hearth.proto.v1.VoiceStop;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One {@code Router.Voice} call: the gateway writes the turn's configuration, then audio, then
 * stop; the router's events go to the handlers given. The request side stays open until the
 * router's answer ends (closing it early would hide a later cancel from the router, see
 * router.proto); {@link #cancel()} cancels the call. Writes come from any thread, one at a time.
 */
public final class RouterVoiceCall implements Cancellable {

    private final Consumer<ChatEvent> onEvent;
    private final Consumer<Throwable> onFailure;
    private final Runnable onCompleted;
    private StreamObserver<VoiceInput> requests;
    private ClientCallStreamObserver<VoiceInput> call;
    private boolean finished;
    private boolean stopped;

    RouterVoiceCall(Consumer<ChatEvent> onEvent, Consumer<Throwable> onFailure, Runnable onCompleted) {
        this.onEvent = onEvent;
        this.onFailure = onFailure;
        this.onCompleted = onCompleted;
    }

    void open(Function<StreamObserver<ChatEvent>, StreamObserver<VoiceInput>> voice, VoiceStart start) {
        StreamObserver<VoiceInput> side = voice.apply(new ClientResponseObserver<VoiceInput, ChatEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<VoiceInput> requestStream) {
                synchronized (RouterVoiceCall.this) {
                    call = requestStream;
                }
            }

            @Override
            public void onNext(ChatEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onError(Throwable failure) {
                boolean report;
                synchronized (RouterVoiceCall.this) {
                    report = !finished;
                    finished = true;
                }
                if (report) {
                    onFailure.accept(failure);
                }
            }

            @Override
            public void onCompleted() {
                synchronized (RouterVoiceCall.this) {
                    if (!finished && requests != null) {
                        requests.onCompleted(); // the answer is complete: close our side too, without a reset
                    }
                    finished = true;
                }
                onCompleted.run();
            }
        });
        synchronized (this) {
            requests = side;
            if (!finished) {
                side.onNext(VoiceInput.newBuilder().setStart(start).build());
            }
        }
    }

    /** Sends audio; false when the call no longer takes it (stopped, ended or cancelled). */
    public synchronized boolean audio(byte[] bytes) {
        if (finished || stopped || requests == null) {
            return false;
        }
        requests.onNext(VoiceInput.newBuilder().setAudio(ByteString.copyFrom(bytes)).build());
        return true;
    }

    /** End of the user's audio; false when already stopped or ended. */
    public synchronized boolean stop() {
        if (finished || stopped || requests == null) {
            return false;
        }
        stopped = true;
        requests.onNext(VoiceInput.newBuilder().setStop(VoiceStop.getDefaultInstance()).build());
        return true;
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    /** Cancels the call (the router stops the turn); nothing more is reported. */
    @Override
    public void cancel() {
        ClientCallStreamObserver<VoiceInput> running;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            running = call;
        }
        if (running != null) {
            running.cancel("cancelled by the gateway", null);
        }
    }
}
