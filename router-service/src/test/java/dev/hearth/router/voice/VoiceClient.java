package dev.hearth.router.voice;

import com.google.protobuf.ByteString;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.RouterGrpc;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.proto.v1.VoiceStart;
import dev.hearth.proto.v1.VoiceStop;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A caller of {@code Router.Voice} over real gRPC: sends inputs, records each event with its arrival time. */
final class VoiceClient implements ClientResponseObserver<VoiceInput, ChatEvent> {

    record Received(ChatEvent event, long nanos) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile Status closedWith;
    private volatile ClientCallStreamObserver<VoiceInput> requests;

    static VoiceClient open(Channel channel) {
        VoiceClient client = new VoiceClient();
        RouterGrpc.newStub(channel).voice(client);
        return client;
    }

    VoiceClient start(VoiceStart start) {
        return send(VoiceInput.newBuilder().setStart(start).build());
    }

    /** {@code ms} of 16 kHz silence. */
    VoiceClient audio(int ms) {
        return send(VoiceInput.newBuilder().setAudio(ByteString.copyFrom(new byte[ms * 32])).build());
    }

    VoiceClient stop() {
        return send(VoiceInput.newBuilder().setStop(VoiceStop.getDefaultInstance()).build());
    }

    synchronized VoiceClient send(VoiceInput input) {
        requests.onNext(input);
        return this;
    }

    void cancel() {
        requests.cancel("the caller hung up", null);
    }

    List<ChatEvent> events() {
        return received.stream().map(Received::event).toList();
    }

    /** Waits for an event and returns the first that matches. */
    ChatEvent awaitEvent(Predicate<ChatEvent> matching) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(r -> matching.test(r.event())));
        return arrival(matching).event();
    }

    Received arrival(Predicate<ChatEvent> matching) {
        return received.stream().filter(r -> matching.test(r.event())).findFirst().orElseThrow();
    }

    /** Waits for the end of the call and returns every event. */
    List<ChatEvent> awaitEnd() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closedWith != null);
        return events();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<VoiceInput> stream) {
        requests = stream;
    }

    @Override
    public void onNext(ChatEvent value) {
        received.add(new Received(value, System.nanoTime()));
    }

    @Override
    public void onError(Throwable t) {
        closedWith = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
        closedWith = Status.OK;
        requests.onCompleted();
    }
}
