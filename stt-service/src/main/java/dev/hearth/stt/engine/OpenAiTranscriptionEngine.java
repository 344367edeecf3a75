package dev.hearth.stt.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Any OpenAI-compatible {@code POST /v1/audio/transcriptions} server (OpenAI, faster-whisper-server /
 * speaches, whisper.cpp's server started with {@code --inference-path /v1/audio/transcriptions}):
 * the utterance goes as a WAV {@code file} in a multipart form with {@code model}, {@code language}
 * and {@code response_format}. {@code verbose_json} with word timestamps is asked for first; a
 * server that refuses it (HTTP 400, e.g. models that only answer {@code json}) is asked again with
 * {@code json} and from then on only with that.
 */
@ApplicationScoped
public class OpenAiTranscriptionEngine implements SttEngine {

    private static final Logger LOG = Logger.getLogger(OpenAiTranscriptionEngine.class);

    /** {@code hearth.stt.openai.*}: the server; the engine is off while {@code url} is unset. */
    @ConfigMapping(prefix = "hearth.stt.openai")
    public interface Settings {
        /** Base URL up to and including {@code /v1}. */
        Optional<String> url();

        /** Bearer key; set it in the environment ({@code HEARTH_STT_OPENAI_API_KEY}), never in a file. */
        Optional<String> apiKey();

        @WithDefault("whisper-1")
        String model();

        /** {@code verbose_json} (word timings, falls back to json when refused) or {@code json}. */
        @WithDefault("verbose_json")
        String responseFormat();

        /** Longest one attempt may take, connecting included. */
        @WithDefault("30s")
        Duration timeout();

        @WithDefault("5s")
        Duration connectTimeout();

        /** Further attempts when the server is unreachable, answers 5xx or times out. */
        @WithDefault("1")
        int retries();

        @WithDefault("200ms")
        Duration retryBackoff();
    }

    private final Settings settings;
    private final WebClient client; // connects on first use
    private final AtomicBoolean verboseRefused = new AtomicBoolean();

    OpenAiTranscriptionEngine(Settings settings, Vertx vertx) {
        this.settings = settings;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis()));
    }

    /** On when a URL is configured. */
    @Override
    public boolean available() {
        return settings.url().map(url -> !url.isBlank()).orElse(false);
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Uni<EngineTranscript> transcribe(Utterance utterance) {
        if (!available()) {
            return Uni.createFrom().failure(new SttEngineException("engine_unavailable",
                    "the openai engine has no URL configured (hearth.stt.openai.url)"));
        }
        String url = settings.url().orElseThrow().replaceAll("/+$", "") + "/audio/transcriptions";
        Buffer wav = Buffer.buffer(wav(utterance.samples()));
        return Uni.createFrom().deferred(() -> attempt(url, wav, utterance, verbose()))
                .onFailure(SttEngineException.class).recoverWithUni(failure -> {
                    // A 400 to verbose_json may be the format itself: ask once more for plain json.
                    if (verbose() && failure instanceof Refused refused && refused.status == 400) {
                        return attempt(url, wav, utterance, false).invoke(ok -> {
                            if (verboseRefused.compareAndSet(false, true)) {
                                LOG.infof("%s refused verbose_json (%s); asking for json from now on", url,
                                        failure.getMessage());
                            }
                        });
                    }
                    return Uni.createFrom().failure(failure);
                })
                .onFailure(OpenAiTranscriptionEngine::retryable).retry()
                .withBackOff(settings.retryBackoff()).atMost(settings.retries());
    }

    private boolean verbose() {
        return "verbose_json".equals(settings.responseFormat()) && !verboseRefused.get();
    }

    private Uni<EngineTranscript> attempt(String url, Buffer wav, Utterance utterance, boolean verbose) {
        MultipartForm form = MultipartForm.create()
                .binaryFileUpload("file", "utterance.wav", wav, "audio/wav")
                .attribute("model", settings.model())
                .attribute("response_format", verbose ? "verbose_json" : "json");
        if (verbose) {
            form.attribute("timestamp_granularities[]", "word");
        }
        String language = baseLanguage(utterance.language());
        if (!language.isEmpty()) {
            form.attribute("language", language);
        }
        var request = client.postAbs(url).timeout(settings.timeout().toMillis());
        settings.apiKey().filter(k -> !k.isBlank()).ifPresent(key -> request.bearerTokenAuthentication(key));
        return Uni.createFrom().completionStage(() -> request.sendMultipartForm(form).toCompletionStage())
                .onFailure().transform(cause -> unavailable(url, cause))
                .map(response -> parse(url, response, utterance.language()));
    }

    private EngineTranscript parse(String url, HttpResponse<Buffer> response, String requestedLanguage) {
        String body = response.bodyAsString() == null ? "" : response.bodyAsString();
        if (response.statusCode() / 100 != 2) {
            throw httpError(url, response.statusCode(), body);
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException notJson) {
            throw new SttEngineException("engine_error", "the transcription server at " + url
                    + " answered something that is not a JSON object: " + clip(body));
        }
        List<EngineTranscript.Word> words = new ArrayList<>();
        JsonArray list = json.getJsonArray("words");
        if (list == null) { // whisper.cpp gives words per segment
            list = new JsonArray();
            for (Object segment : json.getJsonArray("segments", new JsonArray())) {
                if (segment instanceof JsonObject s && s.getJsonArray("words") != null) {
                    list.addAll(s.getJsonArray("words"));
                }
            }
        }
        for (Object item : list) {
            if (item instanceof JsonObject w && w.getString("word") != null) {
                words.add(new EngineTranscript.Word(w.getString("word").strip(), seconds(w, "start"),
                        seconds(w, "end"), w.getNumber("probability", 0).floatValue()));
            }
        }
        String language = requestedLanguage == null || requestedLanguage.isBlank()
                ? json.getString("language", "") : requestedLanguage;
        return new EngineTranscript(json.getString("text", "").strip(), words, 0f, false, language);
    }

    private static int seconds(JsonObject word, String field) {
        return (int) Math.round(word.getNumber(field, 0).doubleValue() * 1000);
    }

    /** OpenAI takes ISO-639-1 ({@code en}), not BCP-47 ({@code en-US}). */
    private static String baseLanguage(String language) {
        if (language == null || language.isBlank()) {
            return "";
        }
        return language.split("[-_]")[0].toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean retryable(Throwable failure) {
        return failure instanceof SttEngineException e && "engine_unavailable".equals(e.code());
    }

    private static SttEngineException unavailable(String url, Throwable cause) {
        String what = cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")
                ? "did not answer in time" : "cannot be reached";
        return new SttEngineException("engine_unavailable", "the transcription server at " + url + " " + what
                + ": " + cause.getMessage(), cause);
    }

    /** An HTTP error answer; 4xx carry the server's message as {@code engine_error}, 5xx are unavailability. */
    static SttEngineException httpError(String url, int status, String body) {
        String message = "the transcription server at " + url + " answered HTTP " + status + ": "
                + clip(serverMessage(body));
        return status >= 500 ? new SttEngineException("engine_unavailable", message)
                : new Refused(status, message);
    }

    /** The message of OpenAI's error shape ({@code {"error": {"message": ...}}}), else the body as it came. */
    private static String serverMessage(String body) {
        try {
            JsonObject json = new JsonObject(body);
            return Optional.ofNullable(json.getJsonObject("error")).map(error -> error.getString("message"))
                    .orElse(body);
        } catch (RuntimeException notJson) {
            return body;
        }
    }

    /** A 4xx answer: the request was refused and sending it again unchanged will not help. */
    static final class Refused extends SttEngineException {
        final int status;

        Refused(int status, String message) {
            super("engine_error", message);
            this.status = status;
        }
    }

    private static String clip(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** A 16 kHz mono 16-bit PCM WAV file: the canonical 44-byte RIFF header, then the samples. */
    static byte[] wav(short[] samples) {
        int dataBytes = samples.length * 2;
        ByteBuffer out = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes).put(new byte[] {'W', 'A', 'V', 'E'});
        out.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(Utterance.SAMPLE_RATE).putInt(Utterance.SAMPLE_RATE * 2).putShort((short) 2)
                .putShort((short) 16);
        out.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
        out.asShortBuffer().put(samples);
        return out.array();
    }
}
