package dev.hearth.tts.engine;

import dev.hearth.tts.config.TtsSettings;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Any OpenAI-compatible {@code POST /v1/audio/speech} server (OpenAI, Kokoro-FastAPI, Piper's HTTP
 * server): {@code {model, input, voice, response_format}} in, raw PCM or a WAV out. The API key
 * comes from the environment variable the configuration names, never from a file.
 */
@ApplicationScoped
public class OpenAiSpeechEngine implements TtsEngine {

    private final TtsSettings.OpenAi settings;
    private final Vertx vertx;
    private volatile HttpClient client;

    OpenAiSpeechEngine(TtsSettings settings, Vertx vertx) {
        this.settings = settings.openai();
        this.vertx = vertx;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public boolean available() {
        return settings.url().filter(u -> !u.isBlank()).isPresent();
    }

    @Override
    public List<Voice> voices() {
        return settings.voices().orElse(List.of()).stream()
                .map(v -> new Voice(v, List.of("en_US"), "OpenAI-compatible voice " + v)).toList();
    }

    @Override
    public String defaultVoice() {
        return settings.defaultVoice();
    }

    @Override
    public String attributionUrl() {
        return settings.url().orElse("");
    }

    @Override
    public Uni<Pcm> synthesize(String text, String voice) {
        String url = settings.url().orElseThrow().replaceAll("/+$", "") + "/audio/speech";
        String format = settings.responseFormat();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "pcm".equals(format) ? "audio/pcm" : "audio/wav");
        String key = System.getenv(settings.apiKeyEnv());
        if (key != null && !key.isBlank()) {
            options.putHeader("Authorization", "Bearer " + key);
        }
        JsonObject body = new JsonObject().put("model", settings.model()).put("input", text)
                .put("voice", voice).put("response_format", format);
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        return Uni.createFrom().<Pcm>emitter(emitter -> client().request(options).onComplete(opened -> {
            if (opened.failed()) {
                emitter.fail(unavailable(url, opened.cause()));
                return;
            }
            HttpClientRequest request = opened.result();
            inFlight.set(request);
            request.send(body.toBuffer()).onComplete(answered -> {
                if (answered.failed()) {
                    emitter.fail(unavailable(url, answered.cause()));
                    return;
                }
                var response = answered.result();
                response.body().onComplete(read -> {
                    if (read.failed()) {
                        emitter.fail(unavailable(url, read.cause()));
                    } else if (response.statusCode() / 100 != 2) {
                        emitter.fail(httpError(url, response.statusCode(), read.result().toString()));
                    } else {
                        try {
                            byte[] bytes = read.result().getBytes();
                            emitter.complete("wav".equals(format) || Wav.looksLikeWav(bytes)
                                    ? Wav.read(bytes) : new Pcm(bytes, settings.pcmSampleRate()));
                        } catch (IllegalArgumentException e) {
                            emitter.fail(new EngineException("the speech server at " + url
                                    + " answered audio that is not " + format + ": " + e.getMessage()));
                        }
                    }
                });
            });
        })).onCancellation().invoke(() -> {
            HttpClientRequest request = inFlight.get();
            if (request != null) {
                request.reset();
            }
        });
    }

    private HttpClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout((int) settings.connectTimeout().toMillis()));
                }
            }
        }
        return client;
    }

    private static EngineException unavailable(String url, Throwable cause) {
        return new EngineException("the speech server at " + url + " cannot be reached: " + cause.getMessage(),
                Status.Code.UNAVAILABLE, cause);
    }

    static EngineException httpError(String url, int status, String body) {
        String detail = body;
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            if (error != null && error.getString("message") != null) {
                detail = error.getString("message");
            }
        } catch (RuntimeException notJson) {
            // keep the raw body
        }
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "…";
        }
        Status.Code code = switch (status) {
            case 400, 404, 422 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 429 -> Status.Code.RESOURCE_EXHAUSTED;
            default -> Status.Code.UNAVAILABLE;
        };
        return new EngineException("the speech server at " + url + " answered HTTP " + status + ": " + detail,
                code, null);
    }
}
