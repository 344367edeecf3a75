package dev.hearth.bench;

import io.vertx.core.Context;
import io.vertx.core.http.ClientWebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One WebSocket to the gateway. Frames go to the current {@link #handler} with the time they
 * arrived (taken before parsing); the {@code welcome} greeting completes {@link #welcomed}.
 * Everything runs on the connection's event loop.
 */
final class BenchSocket {

    final ClientWebSocket socket;
    volatile Context context;
    final CompletableFuture<BenchSocket> welcomed = new CompletableFuture<>();
    private volatile BiConsumer<Frame, Long> handler = (frame, at) -> { };
    volatile boolean closed;
    volatile Short closeCode;

    /** Handlers are set before connecting, so the welcome cannot slip by. */
    BenchSocket(ClientWebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(text -> {
            long at = System.nanoTime();
            Frame frame = Frame.parse(text);
            if (!welcomed.isDone() && "welcome".equals(frame.requestId)) {
                welcomed.complete(this);
                return;
            }
            handler.accept(frame, at);
        });
        socket.closeHandler(v -> {
            closed = true;
            closeCode = socket.closeStatusCode();
            welcomed.completeExceptionally(new IllegalStateException("closed before the welcome (" + closeCode + ")"));
            handler.accept(closedFrame(closeCode), System.nanoTime());
        });
        socket.exceptionHandler(e -> { });
    }

    void handler(BiConsumer<Frame, Long> handler) {
        this.handler = handler;
    }

    /** Sends on the connection's event loop; {@code beforeWrite} runs there right before the write. */
    void send(String text, Runnable beforeWrite) {
        context.runOnContext(v -> {
            if (beforeWrite != null) {
                beforeWrite.run();
            }
            socket.writeTextMessage(text);
        });
    }

    void close() {
        if (!closed) {
            socket.close().onComplete(ar -> { });
        }
    }

    private static Frame closedFrame(Short code) {
        Frame frame = new Frame();
        frame.status = "error";
        frame.errorCode = "connection_closed";
        frame.errorMessage = "the WebSocket closed (" + code + ")";
        return frame;
    }
}
