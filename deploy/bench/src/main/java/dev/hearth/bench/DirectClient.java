package dev.hearth.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * "Directly": the benchmark's own client reads the fake upstream's SSE over HTTP (keep-alive
 * pool), parsing each {@code data:} JSON the way a client of an OpenAI-compatible server would.
 */
final class DirectClient implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final Vertx vertx;
    private final HttpClient http;
    private final int port;

    DirectClient(int port, int eventLoops, int maxConnections) {
        this.port = port;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(false)
                .setBlockedThreadCheckInterval(10_000));
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setKeepAliveTimeout(300).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    static String body(Pacing pacing) {
        return "{\"model\":\"" + FakeUpstream.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + pacing.text() + "\"}]}";
    }

    /** Starts one answer into {@code record}; everything after this runs on an event loop. */
    void start(Pacing pacing, StreamRecord record) {
        String body = body(pacing);
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                        .setURI("/v1/chat/completions")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Accept", "text/event-stream"))
                .compose(request -> {
                    record.requestedAt = System.nanoTime();
                    return request.send(body);
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        record.end("request failed: " + ar.cause());
                    } else {
                        read(ar.result(), record);
                    }
                });
    }

    private static void read(HttpClientResponse response, StreamRecord record) {
        if (response.statusCode() != 200) {
            record.end("HTTP " + response.statusCode());
            return;
        }
        SseReader reader = new SseReader(record);
        response.handler(buffer -> reader.feed(buffer, System.nanoTime()));
        response.endHandler(v -> record.end(reader.done ? null : "the answer ended without [DONE]"));
        response.exceptionHandler(e -> record.end("the answer failed: " + e));
    }

    /** Splits the SSE body into events and hands each {@code data:} payload's content to the record. */
    private static final class SseReader {
        private final StreamRecord record;
        private final StringBuilder pending = new StringBuilder();
        boolean done;

        SseReader(StreamRecord record) {
            this.record = record;
        }

        void feed(Buffer buffer, long receivedAt) {
            pending.append(buffer.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String event = pending.substring(0, end);
                pending.delete(0, end + 2);
                for (String line : event.split("\n")) {
                    if (line.startsWith("data:")) {
                        data(line.substring(5).trim(), receivedAt);
                    }
                }
            }
        }

        private void data(String payload, long receivedAt) {
            if (payload.equals("[DONE]")) {
                done = true;
                return;
            }
            String content = content(payload);
            if (content != null && !content.isEmpty()) {
                record.onText(content, receivedAt);
            }
        }

        /** {@code choices[0].delta.content}. */
        private static String content(String payload) {
            try (JsonParser parser = JSON.createParser(payload)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
                        if (parser.nextToken() != JsonToken.START_OBJECT) {
                            return null;
                        }
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            JsonToken v = parser.nextToken();
                            if ("delta".equals(name) && v == JsonToken.START_OBJECT) {
                                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                    String key = parser.currentName();
                                    JsonToken k = parser.nextToken();
                                    if ("content".equals(key) && k == JsonToken.VALUE_STRING) {
                                        return parser.getText();
                                    }
                                    parser.skipChildren();
                                }
                                return null;
                            }
                            parser.skipChildren();
                        }
                        return null;
                    }
                    parser.skipChildren();
                }
            } catch (IOException e) {
                return null;
            }
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
