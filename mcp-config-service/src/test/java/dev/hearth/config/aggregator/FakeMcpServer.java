package dev.hearth.config.aggregator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An MCP server for tests speaking the real Streamable HTTP wire format (JSON-RPC over POST,
 * {@code Mcp-Session-Id}, a GET SSE stream for server notifications, 404 for a session it does not
 * know), on a random port. Its tools are {@code forecast} (text content) and {@code broken} (an
 * {@code isError} result) plus whatever a test adds; it lists them one page per tool. A server
 * built with {@code notifies = false} does not advertise {@code tools.listChanged} and refuses the
 * SSE stream (405), so it must be polled. {@link #garbage()} makes it answer nonsense.
 */
public final class FakeMcpServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final boolean notifies;
    private final HttpServer server;
    private final List<JsonObject> tools = new CopyOnWriteArrayList<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, HttpServerResponse> streams = new ConcurrentHashMap<>();
    private final AtomicInteger initializations = new AtomicInteger();
    private final AtomicInteger toolLists = new AtomicInteger();
    private volatile boolean garbage;

    public FakeMcpServer(boolean notifies) throws Exception {
        this.notifies = notifies;
        addTool("forecast", "The weather forecast for a city");
        addTool("broken", "A sensor that is offline");
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/mcp";
    }

    public void addTool(String name, String description) {
        tools.add(new JsonObject().put("name", name).put("description", description)
                .put("inputSchema", new JsonObject().put("type", "object")
                        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))));
    }

    /** Sends {@code notifications/tools/list_changed} on every open SSE stream. */
    public void notifyToolsChanged() {
        String event = "event: message\ndata: "
                + new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed").encode() + "\n\n";
        vertx.runOnContext(v -> streams.values().forEach(stream -> stream.write(event)));
    }

    public int openStreams() {
        return streams.size();
    }

    public int initializations() {
        return initializations.get();
    }

    public int toolLists() {
        return toolLists.get();
    }

    /** As if it restarted: every session is forgotten (answered 404 from now on) and its streams end. */
    public void forgetSessions() {
        sessions.clear();
        vertx.runOnContext(v -> {
            streams.values().forEach(stream -> stream.end());
            streams.clear();
        });
    }

    public void garbage() {
        garbage = true;
    }

    private void handle(HttpServerRequest request) {
        if (garbage) {
            request.response().putHeader("Content-Type", "application/json").end("<html>surprise{");
            return;
        }
        String session = request.getHeader("Mcp-Session-Id");
        switch (request.method().name()) {
            case "GET" -> stream(request, session);
            case "DELETE" -> {
                sessions.remove(session);
                request.response().setStatusCode(200).end();
            }
            case "POST" -> request.body().onSuccess(body -> post(request, session, body.toJsonObject()));
            default -> request.response().setStatusCode(405).end();
        }
    }

    private void stream(HttpServerRequest request, String session) {
        if (!notifies) {
            request.response().setStatusCode(405).end();
            return;
        }
        if (session == null || !sessions.contains(session)) {
            request.response().setStatusCode(404).end();
            return;
        }
        HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        response.write(": open\n\n");
        streams.put(session, response);
        response.closeHandler(v -> streams.remove(session, response));
    }

    private void post(HttpServerRequest request, String session, JsonObject message) {
        String method = message.getString("method", "");
        Object id = message.getValue("id");
        if (method.equals("initialize")) {
            initializations.incrementAndGet();
            String created = UUID.randomUUID().toString();
            sessions.add(created);
            JsonObject tools = notifies ? new JsonObject().put("listChanged", true) : new JsonObject();
            answer(request.response().putHeader("Mcp-Session-Id", created), id, new JsonObject()
                    .put("protocolVersion", message.getJsonObject("params").getString("protocolVersion"))
                    .put("capabilities", new JsonObject().put("tools", tools))
                    .put("serverInfo", new JsonObject().put("name", "fake").put("version", "1.0")));
            return;
        }
        if (session == null) {
            request.response().setStatusCode(400).end();
            return;
        }
        if (!sessions.contains(session)) {
            request.response().setStatusCode(404).end();
            return;
        }
        if (id == null) {
            request.response().setStatusCode(202).end();
            return;
        }
        JsonObject params = message.getJsonObject("params", new JsonObject());
        switch (method) {
            case "ping" -> answer(request.response(), id, new JsonObject());
            case "tools/list" -> {
                toolLists.incrementAndGet();
                int page = Integer.parseInt(params.getString("cursor", "0"));
                JsonObject result = new JsonObject().put("tools", new JsonArray().add(tools.get(page)));
                if (page + 1 < tools.size()) {
                    result.put("nextCursor", Integer.toString(page + 1));
                }
                answer(request.response(), id, result);
            }
            case "tools/call" -> answer(request.response(), id, call(params));
            default -> request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("jsonrpc", "2.0").put("id", id)
                    .put("error", new JsonObject().put("code", -32601).put("message", "no method " + method)).encode());
        }
    }

    private JsonObject call(JsonObject params) {
        JsonObject arguments = params.getJsonObject("arguments", new JsonObject());
        return switch (params.getString("name")) {
            case "broken" -> text("sensor offline").put("isError", true);
            default -> text(params.getString("name") + ": sunny in " + arguments.getString("city", "nowhere"));
        };
    }

    private static JsonObject text(String text) {
        return new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", text)));
    }

    private static void answer(HttpServerResponse response, Object id, JsonObject result) {
        response.putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
