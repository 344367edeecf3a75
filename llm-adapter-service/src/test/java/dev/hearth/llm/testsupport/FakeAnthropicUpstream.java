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
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic Messages API server ({@code POST /v1/messages}, SSE) on 127.0.0.1 and a random
 * port, speaking the real wire format: HTTP/1.1 chunked SSE with named events
 * ({@link AnthropicEvents}), and Anthropic's error JSON. Each test scripts the {@link Reply} for
 * a model name of its own; the fake records what it received per model and notices when the
 * adapter closes a connection. Plain Vert.x, no test framework: other modules reuse it.
 */
public final class FakeAnthropicUpstream implements AutoCloseable {

    /** The env variable name tests put in {@code api_key_env}, and the key the resource supplies for it. */
    public static final String API_KEY_ENV = "HEARTH_TEST_ANTHROPIC_KEY";
    public static final String API_KEY = "sk-ant-hearth-test-7d2e";

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final Set<String> closedConnections = ConcurrentHashMap.newKeySet();

    /** A request as the fake saw it; header names lower case. */
    public record Received(String method, String path, Map<String, String> headers, JsonObject body) {
    }

    private FakeAnthropicUpstream(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static FakeAnthropicUpstream start() {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer();
        FakeAnthropicUpstream fake = new FakeAnthropicUpstream(vertx, server);
        server.requestHandler(fake::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("The fake Anthropic upstream did not start", e);
        }
        return fake;
    }

    public int port() {
        return server.actualPort();
    }

    /** What a provider entry puts in {@code base_url} (Anthropic's own is {@code https://api.anthropic.com}). */
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
        request.body().onSuccess(buffer -> {
            JsonObject body;
            try {
                body = buffer.toJsonObject();
            } catch (RuntimeException e) {
                Reply.error(400, AnthropicEvents.errorBody("invalid_request_error",
                        "There was an issue with the format or content of your request.")).play(request, vertx);
                return;
            }
            String model = body.getString("model", "");
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            received.put(model, new Received(request.method().name(), request.path(), headers, body));
            closedConnections.remove(model);
            request.connection().closeHandler(v -> closedConnections.add(model));
            Reply reply = replies.get(model);
            if (!request.path().equals("/v1/messages")) {
                Reply.error(404, AnthropicEvents.errorBody("not_found_error", "Not Found")).play(request, vertx);
            } else if (reply == null) {
                Reply.error(404, AnthropicEvents.errorBody("not_found_error", "model: " + model)).play(request, vertx);
            } else {
                reply.play(request, vertx);
            }
        });
    }

    /** How a scripted SSE answer ends after its last write. */
    public enum Ending {
        /** A proper end of the chunked body. */
        END_RESPONSE,
        /** The TCP connection drops mid-body, as when a server crashes. */
        CLOSE_CONNECTION,
        /** Nothing more, ever: the connection stays open and silent. */
        STALL
    }

    /** A scripted answer. */
    @FunctionalInterface
    public interface Reply {

        void play(HttpServerRequest request, Vertx vertx);

        /**
         * A 200 SSE answer written as the given byte pieces, each its own write (and HTTP chunk),
         * a moment apart, so the client reads them separately wherever they cut the text
         * (inside an event, a line, a multi-byte character).
         */
        static Reply sse(Ending ending, List<byte[]> pieces) {
            return sse(ending, Duration.ofMillis(3), pieces);
        }

        /** Like {@link #sse(Ending, List)}, with {@code gap} between two writes. */
        static Reply sse(Ending ending, Duration gap, List<byte[]> pieces) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response()
                        .setChunked(true)
                        .putHeader("content-type", "text/event-stream; charset=utf-8")
                        .putHeader("cache-control", "no-cache")
                        .putHeader("request-id", "req_fake_0001");
                writeInTurn(request, response, pieces.iterator(), ending, gap, vertx);
            };
        }

        /** An SSE answer whose text is written whole, in one piece. */
        static Reply sse(Ending ending, String wire) {
            return sse(ending, List.of(wire.getBytes(StandardCharsets.UTF_8)));
        }

        /** A whole, well-formed text answer streamed as the given text deltas. */
        static Reply text(String... deltas) {
            return sse(Ending.END_RESPONSE, AnthropicEvents.textMessage(deltas));
        }

        /**
         * An error answer: {@code body} as Anthropic words it ({@link AnthropicEvents#errorBody}) and
         * headers ({@code name, value, name, value...}), e.g. {@code retry-after}.
         */
        static Reply error(int status, String body, String... headers) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response().setStatusCode(status)
                        .putHeader("content-type", "application/json")
                        .putHeader("request-id", "req_fake_0001");
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    response.putHeader(headers[i], headers[i + 1]);
                }
                response.end(body);
            };
        }

        /** Takes the request and never answers, not even the status line. */
        static Reply never() {
            return (request, vertx) -> {
            };
        }

        /** A never-ending answer: a text delta every {@code period}, until the client hangs up. */
        static Reply trickle(Duration period) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response()
                        .setChunked(true)
                        .putHeader("content-type", "text/event-stream; charset=utf-8");
                response.write(AnthropicEvents.messageStart(AnthropicEvents.UPSTREAM_MODEL, 5)
                        + AnthropicEvents.textBlockStart(0));
                long timer = vertx.setPeriodic(period.toMillis(), id -> {
                    if (!response.closed() && !response.ended()) {
                        response.write(AnthropicEvents.textDelta(0, "tick "));
                    }
                });
                response.closeHandler(v -> vertx.cancelTimer(timer));
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

    /** Cuts {@code wire}'s UTF-8 bytes at the given byte offsets (any order), for {@link Reply#sse(Ending, List)}. */
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
