package dev.hearth.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hearth.infra.FreePorts;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake OpenAI-compatible upstream that looks like a local Ollama to mcp-config-service's first-start
 * probe: {@code GET /api/tags} lists one model, {@code POST /v1/chat/completions} streams the answer
 * as SSE ({@code data: {chat.completion.chunk}} … {@code data: [DONE]}), one token per
 * {@link Pacing#intervalMs()}, each timed against absolute deadlines (no drift) on the connection's
 * event loop. It counts the answers streaming at once, so a run can tell queued streams from
 * concurrent ones.
 */
final class FakeUpstream implements AutoCloseable {

    static final String MODEL = "bench-fake-64x20";
    private static final JsonFactory JSON = new JsonFactory();
    private static final String TAGS = "{\"models\":[{\"name\":\"" + MODEL + "\",\"model\":\"" + MODEL
            + "\",\"size\":0,\"digest\":\"0\",\"details\":{\"family\":\"bench\"}}]}";
    private static final String CHUNK_HEAD = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    private static final String CHUNK_TAIL = "\"},\"finish_reason\":null}]}\n\n";
    private static final String ROLE_CHUNK = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1700000000,\"model\":\"" + MODEL
            + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";

    private final Pacing defaults;
    private final Vertx vertx;
    private final int port;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong answers = new AtomicLong();

    private FakeUpstream(Pacing defaults, int eventLoops) throws Exception {
        this.defaults = defaults;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(false));
        this.port = FreePorts.pick();
        // One server verticle per event loop, all on the same port: Vert.x spreads connections over them.
        vertx.deployVerticle(() -> new Server(), new DeploymentOptions().setInstances(eventLoops))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static FakeUpstream start(Pacing defaults, int eventLoops) throws Exception {
        return new FakeUpstream(defaults, eventLoops);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The most answers streaming at once since the last {@link #resetPeak()}. */
    int peak() {
        return peak.get();
    }

    int active() {
        return active.get();
    }

    long answers() {
        return answers.get();
    }

    void resetPeak() {
        peak.set(active.get());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private final class Server extends AbstractVerticle {
        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                            .setTcpNoDelay(true).setAcceptBacklog(16_384).setIdleTimeout(0))
                    .requestHandler(FakeUpstream.this::handle)
                    .listen()
                    .<Void>mapEmpty()
                    .onComplete(started);
        }
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (request.method() == HttpMethod.GET && path.equals("/api/tags")) {
            request.response().putHeader("Content-Type", "application/json").end(TAGS);
        } else if (request.method() == HttpMethod.GET && path.endsWith("/models")) {
            request.response().putHeader("Content-Type", "application/json")
                    .end("{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
        } else if (request.method() == HttpMethod.POST && path.endsWith("/chat/completions")) {
            request.body().onSuccess(body -> new Answer(request.response(), System.nanoTime(),
                    Pacing.parse(lastUserText(body), defaults)).begin());
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    /** One streaming answer, driven by timers on the connection's event loop. */
    private final class Answer {
        private final HttpServerResponse response;
        private final long arrived;
        private final Pacing pacing;
        private int next;
        private boolean over;

        Answer(HttpServerResponse response, long arrived, Pacing pacing) {
            this.response = response;
            this.arrived = arrived;
            this.pacing = pacing;
        }

        void begin() {
            answers.incrementAndGet();
            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
            response.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache");
            response.closeHandler(v -> finish());
            response.exceptionHandler(e -> finish());
            response.write(ROLE_CHUNK); // what OpenAI and Ollama send first; it also sends the headers now
            schedule();
        }

        private void schedule() {
            long due = arrived + TimeUnit.MILLISECONDS.toNanos(pacing.firstTokenMs() + (long) next * pacing.intervalMs());
            long waitNanos = due - System.nanoTime();
            if (waitNanos < 500_000) {
                send();
            } else {
                // Vert.x timers take milliseconds: round to the nearest, the send stamps the real time.
                vertx.setTimer(Math.max(1, Math.round(waitNanos / 1e6)), id -> send());
            }
        }

        private void send() {
            if (over) {
                return;
            }
            long now = System.nanoTime();
            response.write(CHUNK_HEAD + Pacing.token(next, now, arrived) + CHUNK_TAIL);
            next++;
            if (next < pacing.tokens()) {
                schedule();
            } else {
                response.write("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                        + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
                response.write("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                        + "\"model\":\"" + MODEL + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":"
                        + pacing.tokens() + ",\"total_tokens\":" + (8 + pacing.tokens()) + "}}\n\n");
                response.end("data: [DONE]\n\n");
                finish();
            }
        }

        private void finish() {
            if (!over) {
                over = true;
                active.decrementAndGet();
            }
        }
    }

    /** The content of the last {@code "role": "user"} message of a chat completions request. */
    static String lastUserText(Buffer body) {
        String last = null;
        try (JsonParser parser = JSON.createParser(body.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("messages".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        String role = null;
                        String content = null;
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            JsonToken v = parser.nextToken();
                            if ("role".equals(name) && v == JsonToken.VALUE_STRING) {
                                role = parser.getText();
                            } else if ("content".equals(name) && v == JsonToken.VALUE_STRING) {
                                content = parser.getText();
                            } else {
                                parser.skipChildren();
                            }
                        }
                        if ("user".equals(role)) {
                            last = content;
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return last;
        }
        return last;
    }
}
