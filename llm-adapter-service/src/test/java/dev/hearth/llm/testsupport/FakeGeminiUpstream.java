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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Google's Gemini API on 127.0.0.1 and a random port, speaking its wire format:
 * {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse} with the key in
 * {@code x-goog-api-key}, answered with chunked SSE of {@code GenerateContentResponse} JSON
 * ({@link GeminiChunks}), and errors as Google words them (a missing key is 403, a wrong one
 * 400 {@code API_KEY_INVALID}, an unknown model 404). Each test scripts the {@link Reply} for a
 * model name of its own; the fake records what it received per model and notices when the
 * client closes a connection. Plain Vert.x: usable from any test framework.
 */
public final class FakeGeminiUpstream implements AutoCloseable {

    /** The env variable name tests put in {@code api_key_env}, and the key the fake accepts. */
    public static final String API_KEY_ENV = "HEARTH_TEST_GEMINI_KEY";
    public static final String API_KEY = "AIzaHearthTest-5b81c7e2";
    public static final String API_VERSION = "v1beta";

    private static final Pattern ROUTE = Pattern.compile("/" + API_VERSION + "/models/([^/:]+):streamGenerateContent");

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Set<String> closedConnections = ConcurrentHashMap.newKeySet();

    /** A request as the fake saw it; header names lower case. */
    public record Received(String method, String path, Map<String, String> query, Map<String, String> headers,
            JsonObject body) {
    }

    private FakeGeminiUpstream(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static FakeGeminiUpstream start() {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer();
        FakeGeminiUpstream fake = new FakeGeminiUpstream(vertx, server);
        server.requestHandler(fake::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("The fake Gemini upstream did not start", e);
        }
        return fake;
    }

    public int port() {
        return server.actualPort();
    }

    /** What a provider entry puts in {@code base_url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/" + API_VERSION;
    }

    /**
     * Scripts the answers to requests for {@code model}: the first request gets the first reply,
     * the next the next, and the last reply answers every request after.
     */
    public void on(String model, Reply first, Reply... then) {
        List<Reply> script = new CopyOnWriteArrayList<>();
        script.add(first);
        script.addAll(Arrays.asList(then));
        replies.put(model, script);
        received.remove(model);
    }

    /** The last request for {@code model}, or null. */
    public Received lastRequest(String model) {
        List<Received> all = received.get(model);
        return all == null || all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Every request for {@code model} since it was scripted, oldest first. */
    public List<Received> requests(String model) {
        return List.copyOf(received.getOrDefault(model, List.of()));
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
            Matcher route = ROUTE.matcher(request.path());
            if (request.method() != HttpMethod.POST || !route.matches()) {
                request.response().setStatusCode(404).putHeader("content-type", "text/html; charset=UTF-8")
                        .end("<!DOCTYPE html><title>Error 404 (Not Found)</title><p>The requested URL <code>"
                                + request.path() + "</code> was not found on this server.");
                return;
            }
            String model = route.group(1);
            JsonObject body;
            try {
                body = buffer.toJsonObject();
            } catch (RuntimeException e) {
                answer(request, 400, "Invalid JSON payload received.", "INVALID_ARGUMENT");
                return;
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            Map<String, String> query = new ConcurrentHashMap<>();
            request.params().forEach(p -> query.put(p.getKey(), p.getValue()));
            List<Received> log = received.computeIfAbsent(model, m -> new CopyOnWriteArrayList<>());
            log.add(new Received(request.method().name(), request.path(), query, headers, body));
            closedConnections.remove(model);
            request.connection().closeHandler(v -> closedConnections.add(model));

            String key = headers.get("x-goog-api-key");
            List<Reply> script = replies.get(model);
            if (key == null) {
                answer(request, 403, "Method doesn't allow unregistered callers (callers without established identity). "
                        + "Please use API Key or other form of API consumer identity to call this API.", "PERMISSION_DENIED");
            } else if (!API_KEY.equals(key)) {
                request.response().setStatusCode(400).putHeader("content-type", "application/json; charset=UTF-8")
                        .end(GeminiChunks.invalidKeyBody());
            } else if (!"sse".equals(query.get("alt"))) {
                answer(request, 400, "This fake answers alt=sse streams only", "INVALID_ARGUMENT");
            } else if (script == null) {
                answer(request, 404, "models/" + model + " is not found for API version " + API_VERSION
                        + ", or is not supported for generateContent. Call ListModels to see the list of available "
                        + "models and their supported methods.", "NOT_FOUND");
            } else {
                script.get(Math.min(log.size(), script.size()) - 1).play(request, vertx);
            }
        });
    }

    private static void answer(HttpServerRequest request, int status, String message, String rpcStatus) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json; charset=UTF-8")
                .end(GeminiChunks.errorBody(status, rpcStatus, message, null));
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
         * a moment apart, so the client reads them separately wherever they cut the text.
         */
        static Reply sse(Ending ending, List<byte[]> pieces) {
            return sse(ending, Duration.ofMillis(3), pieces);
        }

        /** Like {@link #sse(Ending, List)}, with {@code gap} between two writes. */
        static Reply sse(Ending ending, Duration gap, List<byte[]> pieces) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response()
                        .setChunked(true)
                        .putHeader("content-type", "text/event-stream")
                        .putHeader("x-content-type-options", "nosniff");
                writeInTurn(request, response, pieces.iterator(), ending, gap, vertx);
            };
        }

        /** An SSE answer whose text is written whole, in one piece. */
        static Reply sse(Ending ending, String wire) {
            return sse(ending, List.of(wire.getBytes(StandardCharsets.UTF_8)));
        }

        /** An error answer with a body ({@link GeminiChunks#errorBody}) and headers ({@code name, value, ...}). */
        static Reply error(int status, String body, String... headers) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response().setStatusCode(status)
                        .putHeader("content-type", "application/json; charset=UTF-8");
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    response.putHeader(headers[i], headers[i + 1]);
                }
                response.end(body);
            };
        }

        /** A never-ending answer: one text chunk every {@code period}, until the client hangs up. */
        static Reply trickle(Duration period) {
            return (request, vertx) -> {
                HttpServerResponse response = request.response()
                        .setChunked(true)
                        .putHeader("content-type", "text/event-stream");
                response.write(GeminiChunks.text("tick "));
                long timer = vertx.setPeriodic(period.toMillis(), id -> {
                    if (!response.closed() && !response.ended()) {
                        response.write(GeminiChunks.text("tick "));
                    }
                });
                response.closeHandler(v -> vertx.cancelTimer(timer));
            };
        }

        /** No answer at all, not even headers: the request just hangs. */
        static Reply silent() {
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
