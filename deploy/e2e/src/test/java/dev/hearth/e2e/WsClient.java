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
 * Fragments are joined: a message is recorded once its last frame arrived.
 */
final class WsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
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
