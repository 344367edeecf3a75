package dev.hearth.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens WebSockets to the gateway's {@code /ws/chat} with {@code Authorization: Bearer <key>}, from
 * one Vert.x instance with a few event loops (connections are spread over them round-robin).
 */
final class GatewayClient implements AutoCloseable {

    private final Vertx vertx;
    private final WebSocketClient client;
    private final int port;
    private final String apiKey;
    private final int inFlight;

    GatewayClient(int port, String apiKey, int eventLoops, int inFlight) {
        this.port = port;
        this.apiKey = apiKey;
        this.inFlight = inFlight;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(false)
                .setBlockedThreadCheckInterval(10_000));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                // Vert.x queues WebSockets past this many per endpoint: make it "unlimited".
                .setMaxConnections(1_000_000)
                .setConnectTimeout(30_000)
                .setTcpNoDelay(true)
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(4 << 20));
    }

    Vertx vertx() {
        return vertx;
    }

    /** Opens one connection and waits for its welcome. */
    CompletableFuture<BenchSocket> connect() {
        CompletableFuture<BenchSocket> result = new CompletableFuture<>();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(port).setURI("/ws/chat")
                .setAllowOriginHeader(false) // not a browser
                .addHeader("Authorization", "Bearer " + apiKey);
        BenchSocket socket = new BenchSocket(client.webSocket());
        socket.socket.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                result.completeExceptionally(ar.cause());
                return;
            }
            socket.context = vertx.getOrCreateContext(); // the connection's event loop: we are on it
            socket.welcomed.whenComplete((s, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(s);
                }
            });
        });
        return result;
    }

    /**
     * Opens {@code count} connections, at most {@code inFlight} handshakes at a time; fails with
     * the first failure after all attempts settled (the opened ones are closed then).
     */
    List<BenchSocket> open(int count, long timeoutSeconds) throws Exception {
        List<BenchSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>(count));
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Semaphore permits = new Semaphore(inFlight);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < count; i++) {
            if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                firstFailure.compareAndSet(null, new IllegalStateException("connecting took over " + timeoutSeconds + " s"));
                break;
            }
            if (firstFailure.get() != null) {
                permits.release();
                break;
            }
            connect().whenComplete((socket, failure) -> {
                if (failure != null) {
                    firstFailure.compareAndSet(null, failure);
                } else {
                    sockets.add(socket);
                }
                permits.release();
            });
        }
        permits.tryAcquire(inFlight, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (firstFailure.get() != null) {
            List<BenchSocket> opened;
            synchronized (sockets) {
                opened = new ArrayList<>(sockets);
            }
            opened.forEach(BenchSocket::close);
            throw new IllegalStateException("opened " + opened.size() + " of " + count + " WebSockets: "
                    + firstFailure.get().getMessage(), firstFailure.get());
        }
        synchronized (sockets) {
            return new ArrayList<>(sockets);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
