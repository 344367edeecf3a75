package dev.hearth.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binary audio frames in a client's send buffer: counted, both-or-neither with their event, and in order. */
class ClientOutboxTest {

    private final List<String> sent = new ArrayList<>();
    private final ArrayDeque<UniEmitter<? super Void>> writing = new ArrayDeque<>();

    /** A connection whose writes finish only when the test says so (a client that reads slowly). */
    private WebSocketConnection connection() {
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> "c-1";
                    case "sendText" -> write("text:" + args[0]);
                    case "sendBinary" -> write("binary:" + ((Buffer) args[0]).length());
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Uni<Void> write(String what) {
        sent.add(what);
        return Uni.createFrom().<Void>emitter(emitter -> writing.add(emitter));
    }

    private void finishWrites() {
        UniEmitter<? super Void> next;
        while ((next = writing.poll()) != null) {
            next.complete(null);
        }
    }

    @Test
    void anAudioEventAndItsFrameTakeTwoPlacesAndAreQueuedTogetherOrNotAtAll() {
        ClientOutbox outbox = new ClientOutbox(connection(), 3, false);
        assertThat(outbox.offerEvent("e1")).isEqualTo(ClientOutbox.Offer.QUEUED); // being written
        assertThat(outbox.offerEvent("e2", new byte[10])).isEqualTo(ClientOutbox.Offer.QUEUED); // 2 of 3 places
        assertThat(outbox.offerEvent("e3", new byte[20])).isEqualTo(ClientOutbox.Offer.FULL); // needs 2: neither queued
        assertThat(outbox.offerEvent("e4")).isEqualTo(ClientOutbox.Offer.QUEUED); // the third place
        assertThat(outbox.offerEvent("e5")).isEqualTo(ClientOutbox.Offer.FULL);
        // A replay may go past the buffer by the room it is given.
        assertThat(outbox.offerReplay("r1", new byte[5], 2)).isEqualTo(ClientOutbox.Offer.QUEUED);
        for (int i = 0; i < 10 && !writing.isEmpty(); i++) {
            finishWrites();
        }
        assertThat(sent).containsExactly("text:e1", "text:e2", "binary:10", "text:e4", "text:r1", "binary:5");
    }
}
