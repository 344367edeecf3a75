package dev.hearth.stt.engine;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake OpenAI-compatible {@code POST /v1/audio/transcriptions} server: a real Vert.x HTTP server
 * on a random port that parses the multipart form as OpenAI does and answers {@code json} or
 * {@code verbose_json} (with {@code words}) for "turn on the kitchen light". {@link #mode} makes
 * it fail the way real servers do.
 */
final class FakeOpenAiTranscriptionServer implements AutoCloseable {

    enum Mode { OK, REFUSE_VERBOSE, ERROR_500, UNAUTHORIZED, SLOW }

    /** One request as received: the form's fields, the uploaded file and the Authorization header. */
    record Request(MultiMap form, String fileName, String fileType, byte[] file, String authorization) {
    }

    static final String TEXT = "turn on the kitchen light";

    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Mode mode = Mode.OK;
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    FakeOpenAiTranscriptionServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    private void handle(HttpServerRequest request) {
        request.setExpectMultipart(true);
        Buffer file = Buffer.buffer();
        String[] upload = new String[2];
        request.uploadHandler(part -> {
            upload[0] = part.filename();
            upload[1] = part.contentType();
            part.handler(file::appendBuffer);
        });
        request.endHandler(v -> {
            MultiMap form = MultiMap.caseInsensitiveMultiMap().addAll(request.formAttributes());
            requests.add(new Request(form, upload[0], upload[1], file.getBytes(), request.getHeader("Authorization")));
            var response = request.response().putHeader("Content-Type", "application/json");
            if (!"/v1/audio/transcriptions".equals(request.path())) {
                response.setStatusCode(404).end(error("no such route"));
                return;
            }
            String format = form.get("response_format");
            switch (mode) {
                case ERROR_500 -> response.setStatusCode(500).end(error("the model crashed"));
                case UNAUTHORIZED -> response.setStatusCode(401).end(error("Incorrect API key provided"));
                case SLOW -> vertx.setTimer(3000, id -> response.end(new JsonObject().put("text", TEXT).encode()));
                case REFUSE_VERBOSE -> {
                    if (!"json".equals(format)) {
                        response.setStatusCode(400).end(error("response_format 'verbose_json' is not compatible "
                                + "with model 'gpt-4o-transcribe'. Use 'json' or 'text' instead."));
                    } else {
                        response.end(new JsonObject().put("text", TEXT).encode());
                    }
                }
                case OK -> response.end("verbose_json".equals(format) ? verbose() : new JsonObject().put("text", TEXT)
                        .encode());
            }
        });
    }

    private static String verbose() {
        JsonArray words = new JsonArray();
        String[] spoken = TEXT.split(" ");
        for (int i = 0; i < spoken.length; i++) {
            words.add(new JsonObject().put("word", spoken[i]).put("start", 0.1 + i * 0.3).put("end", 0.35 + i * 0.3));
        }
        return new JsonObject().put("task", "transcribe").put("language", "english").put("duration", 1.6)
                .put("text", " " + TEXT).put("words", words).encode();
    }

    private static String error(String message) {
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", "invalid_request_error"))
                .encode();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
