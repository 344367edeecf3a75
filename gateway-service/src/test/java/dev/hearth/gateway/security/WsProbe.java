package dev.hearth.gateway.security;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One real WebSocket handshake to {@code /ws/chat} (Vert.x client): either an open socket whose
 * close code can be awaited, or the refusal's HTTP status and JSON body.
 */
final class WsProbe implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient();

    final WebSocket socket;
    final CompletableFuture<Short> closeStatus;
    final int refusedStatus;
    final JsonObject refusal;

    private WsProbe(WebSocket socket, CompletableFuture<Short> closeStatus, int refusedStatus, JsonObject refusal) {
        this.socket = socket;
        this.closeStatus = closeStatus;
        this.refusedStatus = refusedStatus;
        this.refusal = refusal;
    }

    static Builder to(int port) {
        return new Builder(port);
    }

    static final class Builder {
        private final WebSocketConnectOptions options;

        Builder(int port) {
            options = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/ws/chat");
        }

        Builder bearer(String key) {
            options.addHeader("Authorization", "Bearer " + key);
            return this;
        }

        Builder ticket(String ticket) {
            options.setURI("/ws/chat?access_token=" + ticket);
            return this;
        }

        Builder origin(String origin) {
            options.addHeader("Origin", origin);
            return this;
        }

        WsProbe connect() throws Exception {
            CompletableFuture<Short> closeStatus = new CompletableFuture<>();
            try {
                WebSocket socket = CLIENT.connect(options).map(ws -> {
                    ws.closeHandler(v -> closeStatus.complete(ws.closeStatusCode()));
                    return ws;
                }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                return new WsProbe(socket, closeStatus, 0, null);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UpgradeRejectedException rejected) {
                    String body = rejected.getBody() == null ? "" : rejected.getBody().toString();
                    return new WsProbe(null, closeStatus, rejected.getStatus(), body.isEmpty() ? null : new JsonObject(body));
                }
                throw e;
            }
        }
    }

    boolean opened() {
        return socket != null;
    }

    /** The refusal's {@code error.code}. */
    String refusalCode() {
        return refusal == null ? null : refusal.getJsonObject("error").getString("code");
    }

    /** The close code, failing when the server does not close within 10 s. */
    short awaitClose() throws Exception {
        return closeStatus.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isClosed()) {
            socket.close();
        }
    }
}
