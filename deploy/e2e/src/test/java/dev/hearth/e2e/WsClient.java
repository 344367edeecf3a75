package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real WebSocket client (the JDK's) that records every text message in arrival order; it
 * authenticates the upgrade with an API key as every client must.
 * Fragments are joined: a message is recorded once its last frame arrived. Binary messages (the
 * audio of voice turns) are recorded too, each with the number of text messages received before it.
 */
final class WsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Binary> binaries = new CopyOnWriteArrayList<>();

    /** A binary message as received, and how many text messages had arrived before it. */
    record Binary(byte[] bytes, int afterTexts, long receivedAtNanos) {
    }
    /** The close code the server sent, once it closed the connection. */
    final java.util.concurrent.CompletableFuture<Integer> closedWith = new java.util.concurrent.CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri, String apiKey) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + apiKey)
                .buildAsync(uri, new Recorder())
                .join();
    }

    /** Connects with {@code Authorization: Bearer <apiKey>} on the upgrade request. */
    static WsClient connect(String uri, String apiKey) {
        return new WsClient(URI.create(uri), apiKey);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    /** Every binary message received so far, in order. */
    List<Binary> binaries() {
        return List.copyOf(binaries);
    }

    /** Everything received so far, in order. */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null).join();
        socket.abort();
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partialBinary.writeBytes(chunk);
            if (last) {
                binaries.add(new Binary(partialBinary.toByteArray(), received.size(), System.nanoTime()));
                partialBinary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    received.add(JSON.createObjectNode().put("unparseable", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith.completeExceptionally(error);
        }
    }
}
