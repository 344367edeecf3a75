package dev.hearth.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.wyoming.WyomingEvent;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Wyoming engine against a fake Wyoming ASR server speaking the real framing. */
class WyomingAsrEngineTest {

    private final Vertx vertx = Vertx.vertx();
    private FakeWyomingAsrServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeWyomingAsrServer();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close();
    }

    private WyomingAsrEngine engine(String host, int port, Duration timeout) {
        return new WyomingAsrEngine(new WyomingAsrEngine.Settings() {
            public Optional<String> host() {
                return Optional.ofNullable(host);
            }

            public int port() {
                return port;
            }

            public Optional<String> model() {
                return Optional.of("small-int8");
            }

            public Duration timeout() {
                return timeout;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            public int maxFrameBytes() {
                return 1 << 20;
            }
        }, vertx);
    }

    private WyomingAsrEngine engine(Duration timeout) {
        return engine("127.0.0.1", server.port(), timeout);
    }

    @Test
    void transcribesAsHomeAssistantAsksAndReadsPastTheStreamingEvents() {
        Utterance utterance = OpenAiTranscriptionEngineTest.utterance(16000 + 100, "en");
        EngineTranscript transcript = engine(Duration.ofSeconds(10)).transcribe(utterance)
                .await().atMost(Duration.ofSeconds(10));

        assertThat(transcript.text()).isEqualTo(FakeWyomingAsrServer.TEXT);
        assertThat(transcript.language()).isEqualTo("en");
        List<String> types = server.events.stream().map(WyomingEvent::type).toList();
        assertThat(types.get(0)).isEqualTo("transcribe");
        assertThat(types.get(1)).isEqualTo("audio-start");
        assertThat(types.subList(2, types.size() - 1)).hasSize(16).containsOnly("audio-chunk"); // 1024 samples each
        assertThat(types.get(types.size() - 1)).isEqualTo("audio-stop");
        assertThat(server.events.get(0).data().getString("language")).isEqualTo("en");
        assertThat(server.events.get(0).data().getString("name")).isEqualTo("small-int8");
        var format = server.events.get(1).data();
        assertThat(format.getInteger("rate")).isEqualTo(16000);
        assertThat(format.getInteger("width")).isEqualTo(2);
        assertThat(format.getInteger("channels")).isEqualTo(1);
        // The samples arrive intact, little-endian.
        byte[] audio = server.audio();
        assertThat(audio).hasSize(utterance.samples().length * 2);
        assertThat(ByteBuffer.wrap(audio).order(ByteOrder.LITTLE_ENDIAN).getShort(2 * 16050))
                .isEqualTo(utterance.samples()[16050]);
    }

    @Test
    void anErrorEventIsAnEngineErrorWithTheServersText() {
        server.mode = FakeWyomingAsrServer.Mode.ERROR;
        assertThatThrownBy(() -> engine(Duration.ofSeconds(10)).transcribe(OpenAiTranscriptionEngineTest.utterance(
                1600, "")).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_error");
                    assertThat(e.getMessage()).contains("model not loaded");
                });
        assertThat(server.events.get(0).data().containsKey("language")).isFalse();
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsUnavailable() {
        server.mode = FakeWyomingAsrServer.Mode.SILENT;
        assertThatThrownBy(() -> engine(Duration.ofMillis(300)).transcribe(OpenAiTranscriptionEngineTest.utterance(
                1600, "en")).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_unavailable");
                    assertThat(e.getMessage()).contains("no transcript within");
                });
    }

    @Test
    void aServerClosingBeforeTheTranscriptIsUnavailable() {
        server.mode = FakeWyomingAsrServer.Mode.CLOSE;
        assertThatThrownBy(() -> engine(Duration.ofSeconds(10)).transcribe(OpenAiTranscriptionEngineTest.utterance(
                1600, "en")).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_unavailable");
                    assertThat(e.getMessage()).contains("closed the connection");
                });
    }

    @Test
    void aServerThatIsDownIsUnavailableAndNoHostMeansNotAvailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> engine("127.0.0.1", port, Duration.ofSeconds(5))
                .transcribe(OpenAiTranscriptionEngineTest.utterance(1600, "en")).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(SttEngineException.class, e -> {
                    assertThat(e.code()).isEqualTo("engine_unavailable");
                    assertThat(e.getMessage()).contains("cannot be reached");
                });
        WyomingAsrEngine off = engine(null, 10300, Duration.ofSeconds(5));
        assertThat(off.available()).isFalse();
        assertThat(off.name()).isEqualTo("wyoming");
    }
}
