package dev.hearth.gateway.ws;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (Vert.x) that queues what the server sends, in arrival order. */
public final class WsTestClient implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();
    /** The request_id under which binary frames are queued. */
    public static final String BINARY = "binary";

    private final WebSocket socket;
    private final BlockingQueue<JsonObject> received;
    public final CompletableFuture<Short> closeStatus;

    private WsTestClient(WebSocket socket, BlockingQueue<JsonObject> received, CompletableFuture<Short> closeStatus) {
        this.socket = socket;
        this.received = received;
        this.closeStatus = closeStatus;
    }

    /** Connects as alice (the fake AuthService's {@link dev.hearth.gateway.FakeRouter#ALICE} key). */
    public static WsTestClient connect(int port) throws Exception {
        return connect(port, dev.hearth.gateway.FakeRouter.ALICE);
    }

    /** Connects with {@code Authorization: Bearer <apiKey>} (none when null). */
    public static WsTestClient connect(int port, String apiKey) throws Exception {
        io.vertx.core.http.WebSocketConnectOptions options = new io.vertx.core.http.WebSocketConnectOptions()
                .setPort(port).setHost("localhost").setURI("/ws/chat");
        if (apiKey != null) {
            options.addHeader("Authorization", "Bearer " + apiKey);
        }
        WebSocketClient client = VERTX.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(4 << 20)
                .setMaxFrameSize(4 << 20)
                // A fixed, modest socket buffer (the kernel would grow it to 32 MiB), so a paused
                // client backs up the server soon, as a stalled device on a LAN would.
                .setReceiveBufferSize(256 * 1024));
        BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
        CompletableFuture<Short> closeStatus = new CompletableFuture<>();
        // Handlers are in place before the handshake: a message arriving with the upgrade response
        // (the welcome) cannot slip past them, as it could when attached once connect completed.
        io.vertx.core.http.ClientWebSocket ws = client.webSocket();
        ws.textMessageHandler(text -> received.add(new JsonObject(text)));
        // Binary frames join the same queue, in arrival order, as {"request_id":"binary","binary":<bytes>}.
        ws.binaryMessageHandler(bytes -> received.add(new JsonObject().put("request_id", BINARY)
                .put("binary", java.util.Base64.getEncoder().encodeToString(bytes.getBytes()))));
        ws.closeHandler(v -> closeStatus.complete(ws.closeStatusCode()));
        // Connected from an event-loop context of its own, so the connection lives on that context's
        // event loop and the handlers are attached there as the handshake completes. Connected from
        // this (non-Vert.x) thread, they were attached by a task on another context, and a welcome
        // arriving right behind the handshake was now and then decoded before them and dropped.
        CompletableFuture<WebSocket> connected = new CompletableFuture<>();
        VERTX.getOrCreateContext().runOnContext(v -> ws.connect(options).onComplete(ar -> {
            if (ar.succeeded()) {
                connected.complete(ar.result());
            } else {
                connected.completeExceptionally(ar.cause());
            }
        }));
        WebSocket socket = connected.get(10, TimeUnit.SECONDS);
        return new WsTestClient(socket, received, closeStatus);
    }

    /** The bytes of a binary frame as queued by this client. */
    public static byte[] binary(JsonObject frame) {
        return java.util.Base64.getDecoder().decode(frame.getString("binary"));
    }

    public void send(String text) {
        socket.writeTextMessage(text);
    }

    void sendBinary(byte[] bytes) {
        socket.writeBinaryMessage(Buffer.buffer(bytes));
    }

    /** Messages passed over by {@link #nextFor}, handed out again before newer ones. */
    private final java.util.ArrayDeque<JsonObject> backlog = new java.util.ArrayDeque<>();

    /** The next message, failing the test when none arrives within 10 s. */
    public JsonObject next() throws InterruptedException {
        if (!backlog.isEmpty()) {
            return backlog.poll();
        }
        return arrival();
    }

    private JsonObject arrival() throws InterruptedException {
        JsonObject message = received.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            String diagnosis = "";
            if (!closeStatus.isDone()) {
                // Is the connection alive at all? Tells a lost message from a stuck connection.
                send("{\"action\":\"ping\",\"request_id\":\"ws-test-diagnosis\"}");
                JsonObject answer = received.poll(2, TimeUnit.SECONDS);
                diagnosis = "; a ping sent then got " + (answer == null ? "nothing within 2 s" : answer);
            }
            throw new AssertionError("no message from the gateway within 10 s" + (closeStatus.isDone()
                    ? "; the connection was closed with " + closeStatus.getNow(null) : "; the connection is open")
                    + diagnosis);
        }
        return message;
    }

    /** The next message answering {@code requestId}, skipping others (e.g. another stream's). */
    public JsonObject nextFor(String requestId) throws InterruptedException {
        return nextMatching(message -> java.util.Objects.equals(requestId, message.getString("request_id")));
    }

    /** The next message {@code wanted} accepts, skipping others (handed out later). */
    public JsonObject nextMatching(java.util.function.Predicate<JsonObject> wanted) throws InterruptedException {
        for (java.util.Iterator<JsonObject> it = backlog.iterator(); it.hasNext(); ) {
            JsonObject message = it.next();
            if (wanted.test(message)) {
                it.remove();
                return message;
            }
        }
        while (true) {
            JsonObject message = arrival();
            if (wanted.test(message)) {
                return message;
            }
            backlog.add(message);
        }
    }

    /** Messages of one request up to and including its terminal event. */
    public java.util.List<JsonObject> streamOf(String requestId) throws InterruptedException {
        java.util.List<JsonObject> events = new java.util.ArrayList<>();
        while (true) {
            JsonObject message = nextFor(requestId);
            events.add(message);
            String status = message.getString("status");
            if ("complete".equals(status) || "error".equals(status)) {
                return events;
            }
        }
    }

    /** Stops reading from the socket: the server's writes back up, as with a stalled client. */
    public void pause() {
        socket.pause();
    }

    public void resume() {
        socket.resume();
    }

    /** Connects and checks the welcome. */
    public static WsTestClient open(int port) throws Exception {
        return open(port, dev.hearth.gateway.FakeRouter.ALICE);
    }

    public static WsTestClient open(int port, String apiKey) throws Exception {
        WsTestClient client = connect(port, apiKey);
        JsonObject welcome = client.next();
        if (!"welcome".equals(welcome.getString("request_id"))) {
            throw new AssertionError("expected the welcome, got " + welcome);
        }
        return client;
    }

    /** Sends {@code {"action", "request_id", "payload"}}. */
    public void send(String action, String requestId, JsonObject payload) {
        send(new JsonObject().put("action", action).put("request_id", requestId).put("payload", payload).encode());
    }

    /** Nothing more arrives within {@code millis} (messages already queued count as arrivals). */
    public JsonObject poll(long millis) throws InterruptedException {
        if (!backlog.isEmpty()) {
            return backlog.poll();
        }
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        socket.close();
    }
}
