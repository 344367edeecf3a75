package dev.hearth.stt.wyoming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.wyoming.WyomingTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wyoming ASR conformance: a test client writing the framing byte for byte (data inline and as a
 * separate section, payloads of odd sizes), against the server in front of {@link FakeTranscriptionPipeline}.
 */
@QuarkusTest
@TestProfile(FakePipelineProfile.class)
class WyomingAsrServerTest {

    @Inject
    WyomingAsrServer server;

    @BeforeEach
    void clear() {
        FakeTranscriptionPipeline.CALLS.clear();
    }

    WyomingTestClient client() throws Exception {
        assertThat(server.port()).isPositive();
        return new WyomingTestClient(server.port());
    }

    /** A tone as interleaved little-endian samples of the given width and channel count. */
    static byte[] tone(double hz, int rate, int width, int channels, double seconds) {
        int frames = (int) Math.round(rate * seconds);
        ByteBuffer out = ByteBuffer.allocate(frames * width * channels).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            double v = 0.4 * Math.sin(2 * Math.PI * hz * i / rate);
            for (int c = 0; c < channels; c++) {
                long sample = Math.round(v * ((1L << (8 * width - 1)) - 1));
                for (int b = 0; b < width; b++) {
                    out.put((byte) (sample >> (8 * b)));
                }
            }
        }
        return out.array();
    }

    /** Sends transcribe, audio-start, the audio in payloads of {@code piece} bytes, audio-stop. */
    static void speak(WyomingTestClient client, String language, byte[] audio, int rate, int width, int channels,
            int piece) throws Exception {
        speakAs(client, language, "hearth", audio, rate, width, channels, piece);
    }

    /** The same, asking for a model by name. */
    static void speakAs(WyomingTestClient client, String language, String model, byte[] audio, int rate, int width,
            int channels, int piece) throws Exception {
        client.send("transcribe", new JsonObject().put("language", language).put("name", model));
        JsonObject format = new JsonObject().put("rate", rate).put("width", width).put("channels", channels);
        client.send("audio-start", format.copy().put("timestamp", 0), null, true);
        for (int at = 0; at < audio.length; at += piece) {
            byte[] chunk = java.util.Arrays.copyOfRange(audio, at, Math.min(audio.length, at + piece));
            client.send("audio-chunk", format, chunk, (at / piece) % 2 == 0); // alternate inline and separate data
        }
        client.send("audio-stop", new JsonObject().put("timestamp", 1000));
    }

    /** Reads transcript-start, chunks, transcript and transcript-stop; returns the events in order. */
    static List<WyomingTestClient.Event> answer(WyomingTestClient client) throws Exception {
        List<WyomingTestClient.Event> events = new ArrayList<>();
        WyomingTestClient.Event event;
        do {
            event = client.read();
            events.add(event);
        } while (!event.type().equals("transcript-stop") && !event.type().equals("error"));
        return events;
    }

    static int zeroCrossingHz(short[] samples) {
        int crossings = 0;
        for (int i = 1; i < samples.length; i++) {
            if ((samples[i - 1] < 0) != (samples[i] < 0)) {
                crossings++;
            }
        }
        return Math.round(crossings / 2f / (samples.length / 16000f));
    }

    @Test
    void describeAnswersInfoWithTheHearthAsrProgramInTheShapeHomeAssistantReads() throws Exception {
        try (WyomingTestClient client = client()) {
            client.raw("{\"type\":\"describe\"}\n");
            WyomingTestClient.Event info = client.read();
            assertThat(info.type()).isEqualTo("info");
            assertThat(info.data().getJsonArray("tts")).isEmpty();
            JsonArray asr = info.data().getJsonArray("asr");
            assertThat(asr).hasSize(1);
            JsonObject program = asr.getJsonObject(0);
            assertThat(program.getString("name")).isEqualTo("hearth");
            assertThat(program.getBoolean("installed")).isTrue();
            assertThat(program.getString("version")).isNotBlank();
            assertThat(program.getString("description")).isNotBlank();
            assertThat(program.getJsonObject("attribution").getString("name")).isEqualTo("Hearth");
            assertThat(program.getJsonObject("attribution").getString("url")).startsWith("https://");
            assertThat(program.getBoolean("supports_transcript_streaming")).isTrue();
            JsonObject model = program.getJsonArray("models").getJsonObject(0);
            assertThat(model.getString("name")).isEqualTo("hearth");
            assertThat(model.getBoolean("installed")).isTrue();
            assertThat(model.getJsonObject("attribution").getString("name")).isEqualTo("Hearth");
            assertThat(model.getJsonArray("languages").getList()).containsExactly("en", "de");
            for (String kind : List.of("handle", "intent", "wake", "mic", "snd")) {
                assertThat(info.data().getJsonArray(kind)).as(kind).isEmpty();
            }
        }
    }

    @Test
    void transcribesSixteenKilohertzAudioInOddPayloadsWithTheStreamingEvents() throws Exception {
        byte[] audio = tone(440, 16000, 2, 1, 1.0);
        try (WyomingTestClient client = client()) {
            speak(client, "en", audio, 16000, 2, 1, 333); // odd sizes split samples across chunks
            List<WyomingTestClient.Event> events = answer(client);
            assertThat(events).extracting(WyomingTestClient.Event::type).containsExactly("transcript-start",
                    "transcript-chunk", "transcript-chunk", "transcript", "transcript-stop");
            assertThat(events.get(0).data().getString("language")).isEqualTo("en");
            assertThat(events.get(1).data().getString("text")).isEqualTo("heard");
            assertThat(events.get(2).data().getString("text")).isEqualTo(" 1000 ms");
            assertThat(events.get(3).data().getString("text")).isEqualTo("heard 1000 ms");
            assertThat(events.get(3).data().getString("language")).isEqualTo("en");

            // The transcriber got exactly the samples sent, with vad off and the language asked for.
            FakeTranscriptionPipeline.Call call = FakeTranscriptionPipeline.CALLS.get(0);
            assertThat(call.config().getVad()).isFalse();
            assertThat(call.config().getLanguage()).isEqualTo("en");
            assertThat(call.config().getEngine()).isEmpty(); // "hearth": the service's own choice
            short[] sent = new short[audio.length / 2];
            ByteBuffer.wrap(audio).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(sent);
            assertThat(call.samples()).isEqualTo(sent);

            // The connection goes on: a second utterance on it.
            speak(client, "de", tone(440, 16000, 2, 1, 0.5), 16000, 2, 1, 4096);
            List<WyomingTestClient.Event> second = answer(client);
            assertThat(second.get(second.size() - 2).data().getString("text")).isEqualTo("heard 500 ms");
            assertThat(second.get(second.size() - 2).data().getString("language")).isEqualTo("de");
        }
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        assertThat(metrics).contains("hearth_stt_wyoming_transcriptions_total{outcome=\"ok\"}")
                .contains("hearth_stt_wyoming_connections");
    }

    @Test
    void eightKilohertzMonoAndFortyFourKilohertzStereoAreConvertedTo16kMono() throws Exception {
        try (WyomingTestClient client = client()) {
            speak(client, "en", tone(440, 8000, 2, 1, 1.0), 8000, 2, 1, 1001);
            assertThat(answer(client).get(3).data().getString("text")).isEqualTo("heard 1000 ms");
            speak(client, "en", tone(440, 44100, 2, 2, 1.0), 44100, 2, 2, 4410 * 2 + 3);
            assertThat(answer(client).get(3).data().getString("text")).isEqualTo("heard 1000 ms");
            speak(client, "en", tone(440, 22050, 3, 1, 0.5), 22050, 3, 1, 1000); // 24-bit
            assertThat(answer(client).get(3).data().getString("text")).isEqualTo("heard 500 ms");
        }
        for (FakeTranscriptionPipeline.Call call : FakeTranscriptionPipeline.CALLS) {
            assertThat(zeroCrossingHz(call.samples())).isBetween(430, 450); // the tone survived the conversion
            short peak = 0;
            for (short s : call.samples()) {
                peak = (short) Math.max(peak, Math.abs(s));
            }
            assertThat(peak).isBetween((short) 12000, (short) 14500); // 0.4 of full scale, channels averaged
        }
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        try (WyomingTestClient client = client()) {
            client.send("ping", new JsonObject().put("text", "are you there"));
            WyomingTestClient.Event pong = client.read();
            assertThat(pong.type()).isEqualTo("pong");
            assertThat(pong.data().getString("text")).isEqualTo("are you there");
        }
    }

    @Test
    void badRequestsAreAnsweredWithErrorsAndTheConnectionGoesOn() throws Exception {
        try (WyomingTestClient client = client()) {
            client.raw("{\"type\":\"synthesize\",\"data\":{\"text\":\"hi\"}}\n");
            WyomingTestClient.Event unknown = client.read();
            assertThat(unknown.type()).isEqualTo("error");
            assertThat(unknown.data().getString("code")).isEqualTo("unknown-event");

            client.send("audio-start", new JsonObject().put("rate", 16000).put("width", 7).put("channels", 1));
            WyomingTestClient.Event width = client.read();
            assertThat(width.data().getString("code")).isEqualTo("bad-request");
            assertThat(width.data().getString("text")).contains("width");

            client.send("audio-stop", new JsonObject());
            assertThat(client.read().data().getString("text")).contains("audio-stop without audio");

            client.raw("{\"type\":\"transcribe\",\"data_length\":5}\nnope!");
            assertThat(client.read().data().getString("code")).isEqualTo("bad-data");

            // A failing transcription: error, then the end of the transcript stream.
            speak(client, "xx", tone(440, 16000, 2, 1, 0.2), 16000, 2, 1, 3200);
            List<WyomingTestClient.Event> failed = answer(client);
            assertThat(failed.get(failed.size() - 1).type()).isEqualTo("error");
            assertThat(failed.get(failed.size() - 1).data().getString("code")).isEqualTo("transcription-failed");
            assertThat(failed.get(failed.size() - 1).data().getString("text")).contains("language xx is not supported");
            assertThat(client.read().type()).isEqualTo("transcript-stop");

            // An utterance over the limit (5 s in this profile) is refused.
            speak(client, "en", tone(440, 16000, 2, 1, 6), 16000, 2, 1, 32000);
            List<WyomingTestClient.Event> tooLong = answer(client);
            assertThat(tooLong.get(tooLong.size() - 1).data().getString("code")).isEqualTo("audio-too-long");

            client.send("ping", new JsonObject());
            assertThat(client.read().type()).isEqualTo("pong");
        }
    }

    @Test
    void aTruncatedFrameIsAnErrorThenCloseAndLeavesOtherConnectionsAlone() throws Exception {
        try (WyomingTestClient bad = client(); WyomingTestClient good = client()) {
            bad.raw("{\"type\":\"audio-chunk\",\"data\":{\"rate\":16000,\"width\":2,\"channels\":1},\"payload_length\":100}\n");
            bad.raw(new byte[10]);
            // meanwhile the other connection transcribes
            CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
                try {
                    speak(good, "en", tone(440, 16000, 2, 1, 0.3), 16000, 2, 1, 1000);
                    return answer(good).get(3).data().getString("text");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            WyomingTestClient.Event error = bad.read(); // after the 1 s frame timeout of the test profile
            assertThat(error.type()).isEqualTo("error");
            assertThat(error.data().getString("code")).isEqualTo("truncated-frame");
            await().atMost(Duration.ofSeconds(5)).until(bad::closedByServer);
            assertThat(other.get()).isEqualTo("heard 300 ms");
        }
    }

    @Test
    void garbageHeaderAndOversizeDataAreErrorsThenClose() throws Exception {
        try (WyomingTestClient garbage = client(); WyomingTestClient oversize = client();
                WyomingTestClient good = client()) {
            garbage.raw("this is not json\n");
            WyomingTestClient.Event error = garbage.read();
            assertThat(error.data().getString("code")).isEqualTo("bad-header");
            await().atMost(Duration.ofSeconds(5)).until(garbage::closedByServer);

            oversize.raw("{\"type\":\"audio-chunk\",\"payload_length\":999999999}\n");
            assertThat(oversize.read().data().getString("text")).contains("out of range");
            await().atMost(Duration.ofSeconds(5)).until(oversize::closedByServer);

            speak(good, "en", tone(440, 16000, 2, 1, 0.2), 16000, 2, 1, 640);
            assertThat(answer(good).get(3).data().getString("text")).isEqualTo("heard 200 ms");
        }
    }
}
