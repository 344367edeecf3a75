package dev.hearth.llm.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Ollama server on 127.0.0.1 and a random port, speaking its native API as documented
 * (docs/api.md, docs/api/streaming.mdx, docs/api/errors.mdx): {@code POST /api/chat} answers
 * HTTP/1.1 chunked {@code application/x-ndjson}, one JSON object per line; errors are
 * {@code {"error": "..."}}, as the body of an error status or as a line mid-stream.
 * {@code GET /api/tags} lists the scripted models, as a local Ollama lists its pulled ones.
 *
 * <p>Each test scripts the {@link Reply} for a model name of its own, so tests never see each
 * other's state; the fake records what it received per model and notices when the client
 * closes a connection. Plain Vert.x core, no test framework: other modules reuse it.
 */
public final class FakeOllamaUpstream implements AutoCloseable {

    /** The env variable name tests put in {@code api_key_env}, and the key the resource supplies for it. */
    public static final String API_KEY_ENV = "HEARTH_TEST_OLLAMA_KEY";
    public static final String API_KEY = "ollama-hearth-test-5b71e0";

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final Set<String> closedConnections = ConcurrentHashMap.newKeySet();

    /** A request as the fake saw it; header names lower case. */
    public record Received(String method, String path, Map<String, String> headers, JsonObject body) {
    }

    private FakeOllamaUpstream(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static FakeOllamaUpstream start() {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer();
        FakeOllamaUpstream fake = new FakeOllamaUpstream(vertx, server);
        server.requestHandler(fake::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("The fake Ollama upstream did not start", e);
        }
        return fake;
    }

    public int port() {
        return server.actualPort();
    }

    /** What a provider entry puts in {@code base_url}: the server root, as for a local Ollama. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Scripts the answer to requests for {@code model}. */
    public void on(String model, Reply reply) {
        replies.put(model, reply);
    }

    /** The last request for {@code model}, or null. */
    public Received lastRequest(String model) {
        return received.get(model);
    }

    /** Whether the connection that carried the last request for {@code model} has been closed. */
    public boolean connectionClosed(String model) {
        return closedConnections.contains(model);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void handle(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET && request.path().equals("/api/tags")) {
            JsonArray models = new JsonArray();
            replies.keySet().stream().sorted().forEach(name -> models.add(new JsonObject()
                    .put("name", name).put("model", name).put("modified_at", OllamaLines.CREATED_AT)
                    .put("size", 0).put("digest", "").put("details", new JsonObject())));
            request.response().putHeader("content-type", "application/json; charset=utf-8")
                    .end(new JsonObject().put("models", models).encode());
            return;
        }
        if (request.method() != HttpMethod.POST || !request.path().equals("/api/chat")) {
            // what Go's default mux answers for a route it does not have
            request.response().setStatusCode(404).putHeader("content-type", "text/plain").end("404 page not found");
            return;
        }
        request.body().onSuccess(buffer -> {
            JsonObject body;
            try {
                body = buffer.toJsonObject();
            } catch (RuntimeException e) {
                request.response().setStatusCode(400).putHeader("content-type", "application/json; charset=utf-8")
                        .end(OllamaLines.errorJson("invalid character in request body"));
                return;
            }
            String model = body.getString("model", "");
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            received.put(model, new Received(request.method().name(), request.path(), headers, body));
            closedConnections.remove(model);
            request.connection().closeHandler(v -> closedConnections.add(model));
            Reply reply = replies.get(model);
            if (reply == null) {
                request.response().setStatusCode(404).putHeader("content-type", "application/json; charset=utf-8")
                        .end(OllamaLines.errorJson("model '" + model + "' not found"));
            } else {
                reply.play(request, vertx);
            }
        });
    }

    /** How a scripted NDJSON answer ends after its last write. */
    public enum Ending {
        /** A proper end of the chunked body. */
        END_RESPONSE,
        /** The TCP connection drops mid-body, as when the server crashes. */
        CLOSE_CONNECTION,
        /** Nothing more, ever: the connection stays open and silent. */
        STALL
    }

    /** A scripted answer. */
    @FunctionalInterface
    public interface Reply {

        void play(HttpServerRequest request, Vertx vertx);

        /**
         * A 200 NDJSON answer written as the given byte pieces, each its own write (and HTTP
         * chunk), a moment apart, so the client reads them separately wherever they cut the text.
         */
        static Reply ndjson(Ending ending, List<byte[]> pieces) {
            return ndjson(ending, Duration.ofMillis(3), pieces);
        }

        /** Like {@link #ndjson(Ending, List)}, with {@code gap} between two writes. */
        static Reply ndjson(Ending ending, Duration gap, List<byte[]> pieces) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response()
                        .setChunked(true)
                        .putHeader("content-type", "application/x-ndjson");
                writeInTurn(request, response, pieces.iterator(), ending, gap, vertx);
            };
        }

        /** An NDJSON answer whose text is written whole, in one piece. */
        static Reply ndjson(Ending ending, String wire) {
            return ndjson(ending, List.of(wire.getBytes(StandardCharsets.UTF_8)));
        }

        /** An error status with Ollama's error body {@code {"error": message}} and headers ({@code name, value...}). */
        static Reply error(int status, String message, String... headers) {
            return errorBody(status, "application/json; charset=utf-8", OllamaLines.errorJson(message), headers);
        }

        /** An error status with any body, as a proxy in front of Ollama may answer. */
        static Reply errorBody(int status, String contentType, String body, String... headers) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response().setStatusCode(status)
                        .putHeader("content-type", contentType);
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    response.putHeader(headers[i], headers[i + 1]);
                }
                response.end(body);
            };
        }

        /** A never-ending answer: one content line every {@code period}, until the client hangs up. */
        static Reply trickle(Duration period) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response()
                        .setChunked(true)
                        .putHeader("content-type", "application/x-ndjson");
                response.write(OllamaLines.content("tick "));
                long timer = vertx.setPeriodic(period.toMillis(), id -> {
                    if (!response.closed() && !response.ended()) {
                        response.write(OllamaLines.content("tick "));
                    }
                });
                response.closeHandler(v -> vertx.cancelTimer(timer));
            };
        }

        /** Never answers: not even a status line, as while a model loads. */
        static Reply silence() {
            return (request, vertx) -> {
            };
        }

        private static void writeInTurn(HttpServerRequest request, HttpServerResponse response, Iterator<byte[]> pieces,
                Ending ending, Duration gap, Vertx vertx) {
            if (!pieces.hasNext()) {
                switch (ending) {
                    case END_RESPONSE -> response.end();
                    case CLOSE_CONNECTION -> request.connection().close();
                    case STALL -> {
                    }
                }
                return;
            }
            response.write(Buffer.buffer(pieces.next()))
                    .onComplete(written -> vertx.setTimer(gap.toMillis(),
                            t -> writeInTurn(request, response, pieces, ending, gap, vertx)));
        }
    }

    /** Cuts {@code wire}'s UTF-8 bytes at the given byte offsets (any order). */
    public static List<byte[]> cut(String wire, int... byteOffsets) {
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        int[] offsets = Arrays.stream(byteOffsets).sorted().distinct().toArray();
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int offset : offsets) {
            pieces.add(Arrays.copyOfRange(bytes, from, offset));
            from = offset;
        }
        pieces.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return pieces;
    }

    /** The UTF-8 byte offset where {@code marker} starts in {@code wire}, plus {@code extraBytes}. */
    public static int byteOffset(String wire, String marker, int extraBytes) {
        int index = wire.indexOf(marker);
        if (index < 0) {
            throw new IllegalArgumentException("'" + marker + "' is not in the wire text");
        }
        return wire.substring(0, index).getBytes(StandardCharsets.UTF_8).length + extraBytes;
    }
}
