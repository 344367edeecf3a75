package dev.hearth.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible engine against a fake server speaking the real multipart API. */
class OpenAiTranscriptionEngineTest {

    private final Vertx vertx = Vertx.vertx();
    private FakeOpenAiTranscriptionServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiTranscriptionServer();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close();
    }

    static OpenAiTranscriptionEngine.Settings settings(String url, String format, Duration timeout, int retries) {
        return new OpenAiTranscriptionEngine.Settings() {
            public Optional<String> url() {
                return Optional.ofNullable(url);
            }

            public Optional<String> apiKey() {
                return Optional.of("sk-test-key");
            }

            public String model() {
                return "whisper-1";
            }

            public String responseFormat() {
                return format;
            }

            public Duration timeout() {
                return timeout;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            public int retries() {
                return retries;
            }

            public Duration retryBackoff() {
                return Duration.ofMillis(20);
            }
        };
    }

    private OpenAiTranscriptionEngine engine(Duration timeout, int retries) {
        return new OpenAiTranscriptionEngine(settings(server.url(), "verbose_json", timeout, retries), vertx);
    }

    static Utterance utterance(int samples, String language) {
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 300 * i / 16000.0));
        }
        return new Utterance(pcm, language, "test");
    }

    private static EngineTranscript await(OpenAiTranscriptionEngine engine, Utterance utterance) {
        return engine.transcribe(utterance).await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void verboseJsonGivesTextAndWordTimingsAndTheRequestIsAWavMultipartForm() {
        Utterance utterance = utterance(16000 + 7, "en-US");
        EngineTranscript transcript = await(engine(Duration.ofSeconds(10), 1), utterance);

        assertThat(transcript.text()).isEqualTo(FakeOpenAiTranscriptionServer.TEXT);
        assertThat(transcript.language()).isEqualTo("en-US");
        assertThat(transcript.words()).hasSize(5);
        assertThat(transcript.words().get(0)).isEqualTo(new EngineTranscript.Word("turn", 100, 350, 0f));
        assertThat(transcript.words().get(4).startMs()).isEqualTo(1300);

        FakeOpenAiTranscriptionServer.Request request = server.requests.get(0);
        assertThat(request.form().get("model")).isEqualTo("whisper-1");
        assertThat(request.form().get("language")).isEqualTo("en"); // ISO-639-1, as OpenAI wants it
        assertThat(request.form().get("response_format")).isEqualTo("verbose_json");
        assertThat(request.form().get("timestamp_granularities[]")).isEqualTo("word");
        assertThat(request.authorization()).isEqualTo("Bearer sk-test-key");
        assertThat(request.fileName()).isEqualTo("utterance.wav");
        assertThat(request.fileType()).isEqualTo("audio/wav");
        // A RIFF/WAVE file, 16 kHz mono 16-bit, carrying exactly the utterance's samples.
        ByteBuffer wav = ByteBuffer.wrap(request.file()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(request.file(), 0, 4)).isEqualTo("RIFF");
        assertThat(new String(request.file(), 8, 4)).isEqualTo("WAVE");
        assertThat(wav.getShort(22)).isEqualTo((short) 1);
        assertThat(wav.getInt(24)).isEqualTo(16000);
        assertThat(wav.getShort(34)).isEqualTo((short) 16);
        assertThat(wav.getInt(40)).isEqualTo(utterance.samples().length * 2);
        assertThat(request.file()).hasSize(44 + utterance.samples().length * 2);
        assertThat(wav.getShort(44 + 2 * 100)).isEqualTo(utterance.samples()[100]);
    }

    @Test
    void aServerRefusingVerboseJsonIsAskedForJsonAndThenOnlyForJson() {
        server.mode = FakeOpenAiTranscriptionServer.Mode.REFUSE_VERBOSE;
        OpenAiTranscriptionEngine engine = engine(Duration.ofSeconds(10), 1);

        EngineTranscript first = await(engine, utterance(8000, ""));
        assertThat(first.text()).isEqualTo(FakeOpenAiTranscriptionServer.TEXT);
        assertThat(first.words()).isEmpty();
        assertThat(server.requests).extracting(r -> r.form().get("response_format"))
                .containsExactly("verbose_json", "json");
        assertThat(server.requests.get(1).form().get("language")).isNull(); // no language: the server detects it

        await(engine, utterance(8000, ""));
        assertThat(server.requests).hasSize(3);
        assertThat(server.requests.get(2).form().get("response_format")).isEqualTo("json");
    }

    @Test
    void unauthorizedIsAnEngineErrorWithTheServersMessageAndIsNotRetried() {
        server.mode = FakeOpenAiTranscriptionServer.Mode.UNAUTHORIZED;
        assertThatThrownBy(() -> await(engine(Duration.ofSeconds(10), 2), utterance(1600, "en")))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_error");
                    assertThat(e.getMessage()).contains("HTTP 401").contains("Incorrect API key provided");
                });
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void http500IsUnavailableAfterTheConfiguredRetries() {
        server.mode = FakeOpenAiTranscriptionServer.Mode.ERROR_500;
        assertThatThrownBy(() -> await(engine(Duration.ofSeconds(10), 2), utterance(1600, "en")))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_unavailable");
                    assertThat(e.getMessage()).contains("HTTP 500").contains("the model crashed");
                });
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void aSlowServerTimesOutAsUnavailable() {
        server.mode = FakeOpenAiTranscriptionServer.Mode.SLOW;
        long started = System.nanoTime();
        assertThatThrownBy(() -> await(engine(Duration.ofMillis(300), 0), utterance(1600, "en")))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_unavailable");
                    assertThat(e.getMessage()).contains("did not answer in time");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aServerThatIsDownIsUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        OpenAiTranscriptionEngine engine = new OpenAiTranscriptionEngine(
                settings("http://127.0.0.1:" + port + "/v1", "verbose_json", Duration.ofSeconds(5), 1), vertx);
        assertThatThrownBy(() -> await(engine, utterance(1600, "en")))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_unavailable");
                    assertThat(e.getMessage()).contains("cannot be reached");
                });
    }

    @Test
    void withoutAUrlTheEngineIsNotAvailable() {
        OpenAiTranscriptionEngine engine = new OpenAiTranscriptionEngine(
                settings(null, "json", Duration.ofSeconds(5), 0), vertx);
        assertThat(engine.available()).isFalse();
        assertThat(engine.name()).isEqualTo("openai");
        assertThatThrownBy(() -> await(engine, utterance(1600, "en")))
                .isInstanceOfSatisfying(SttEngineException.class, e -> assertThat(e.code()).isEqualTo("engine_unavailable"));
    }
}
