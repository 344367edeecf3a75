package dev.hearth.stt.wyoming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.audio.Resampler;
import dev.hearth.stt.Speech;
import dev.hearth.stt.engine.PocketsphinxEngine;
import dev.hearth.stt.fake.FakeConfigService;
import dev.hearth.stt.fake.FakeRemoteEngines;
import dev.hearth.stt.grammar.HomeGrammar;
import dev.hearth.wyoming.WyomingTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Wyoming server in front of the real pipeline — Transcribe with vad off, pocketsphinx with the
 * home's command grammar — spoken to as Home Assistant does, with flite-synthesized commands.
 */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
class WyomingRealPipelineTest {

    @Inject
    WyomingAsrServer server;
    @Inject
    PocketsphinxEngine pocketsphinx;
    @Inject
    HomeGrammar grammar;

    @BeforeEach
    void requireEngines() {
        Assumptions.assumeTrue(Speech.fliteInstalled(), "flite is not installed: sudo apt-get install flite");
        Assumptions.assumeTrue(pocketsphinx.available(),
                "pocketsphinx is not installed: " + PocketsphinxEngine.INSTALL_HINT);
        grammar.refresh().await().atMost(Duration.ofSeconds(10));
    }

    private static byte[] interleave(short[] mono, int channels) {
        ByteBuffer out = ByteBuffer.allocate(mono.length * 2 * channels).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : mono) {
            for (int c = 0; c < channels; c++) {
                out.putShort(s);
            }
        }
        return out.array();
    }

    private String transcribe(WyomingTestClient client, String model, short[] speech16k, int rate, int channels)
            throws Exception {
        short[] atRate = Resampler.resample(speech16k, 16000, rate);
        byte[] audio = interleave(atRate, channels);
        WyomingAsrServerTest.speakAs(client, "en", model, audio, rate, 2, channels, 1024 * 2 * channels);
        List<WyomingTestClient.Event> events = WyomingAsrServerTest.answer(client);
        assertThat(events).extracting(WyomingTestClient.Event::type).endsWith("transcript", "transcript-stop");
        JsonObject transcript = events.get(events.size() - 2).data();
        assertThat(transcript.getString("language")).isEqualTo("en");
        return transcript.getString("text");
    }

    @Test
    void homeAssistantsWayGivesTheSpokenCommand() throws Exception {
        short[] command = Speech.concat(Speech.silence(300), Speech.say("slt", "turn on the kitchen light"),
                Speech.silence(300));
        try (WyomingTestClient client = new WyomingTestClient(server.port())) {
            assertThat(transcribe(client, "hearth", command, 16000, 1)).isEqualTo("turn on the kitchen light");
            // the same connection, another voice, the engine asked for by name
            short[] other = Speech.say("kal16", "close the garage door");
            assertThat(transcribe(client, "pocketsphinx", other, 16000, 1)).isEqualTo("close the garage door");
        }
    }

    @Test
    void fortyFourKilohertzStereoIsTranscribedAsWell() throws Exception {
        short[] command = Speech.say("slt", "turn off the bedroom lamp");
        try (WyomingTestClient client = new WyomingTestClient(server.port())) {
            assertThat(transcribe(client, "hearth", command, 44100, 2)).isEqualTo("turn off the bedroom lamp");
        }
    }

    @Test
    void infoListsTheEnginesAvailableHereAsModels() throws Exception {
        try (WyomingTestClient client = new WyomingTestClient(server.port())) {
            client.send("describe", new JsonObject());
            JsonArray models = client.read().data().getJsonArray("asr").getJsonObject(0).getJsonArray("models");
            // "hearth" (the configured choice) first, then every engine available here in the registry's order
            assertThat(models.stream().map(m -> ((JsonObject) m).getString("name")).toList())
                    .startsWith("hearth", "pocketsphinx").contains(FakeRemoteEngines.FakeAnsweringEngine.NAME)
                    .doesNotHaveDuplicates()
                    .doesNotContain("openai", "wyoming"); // remote engines without a server configured are not offered
        }
    }
}
