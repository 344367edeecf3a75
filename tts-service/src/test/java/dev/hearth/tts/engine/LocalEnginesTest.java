package dev.hearth.tts.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.infra.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Each local engine speaks real, speech-like audio: non-silent, a plausible length per word, 16-bit mono. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class LocalEnginesTest {

    static final String SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank.";
    static final int WORDS = 13;

    @Inject
    FliteEngine flite;
    @Inject
    EspeakEngine espeak;
    @Inject
    FreeTtsEngine freetts;

    static void assertSpeech(Pcm pcm, int expectedRate) {
        assertThat(pcm.sampleRate()).isEqualTo(expectedRate);
        assertThat(pcm.data().length % 2).isZero();
        double perWord = pcm.seconds() / WORDS;
        assertThat(perWord).as("seconds per word").isBetween(0.12, 1.0);
        assertThat(Audio.rms(pcm.data())).as("loudness").isGreaterThan(300);
        // Speech has pauses and peaks: quiet and loud 20 ms frames both occur.
        short[] s = Audio.samples(pcm.data());
        int frame = expectedRate / 50;
        int quiet = 0;
        int loud = 0;
        for (int at = 0; at + frame <= s.length; at += frame) {
            double sum = 0;
            for (int i = at; i < at + frame; i++) {
                sum += (double) s[i] * s[i];
            }
            double frameRms = Math.sqrt(sum / frame);
            if (frameRms < 200) {
                quiet++;
            } else if (frameRms > 1000) {
                loud++;
            }
        }
        assertThat(quiet).isPositive();
        assertThat(loud).isGreaterThan(10);
    }

    @Test
    void fliteSpeaksWithItsVoices() {
        Assumptions.assumeTrue(flite.available(), "flite is not installed: apt-get install flite");
        assertThat(flite.voices()).extracting(Voice::name).contains("slt", "kal");
        assertSpeech(flite.synthesize(SENTENCE, "slt").await().atMost(Duration.ofSeconds(30)), 16000);
        assertSpeech(flite.synthesize(SENTENCE, "kal").await().atMost(Duration.ofSeconds(30)), 8000);
    }

    @Test
    void espeakSpeaksOtherLanguages() {
        Assumptions.assumeTrue(espeak.available(), "espeak-ng is not installed: apt-get install espeak-ng");
        assertThat(espeak.resolve("de")).isEqualTo("de");
        assertThat(espeak.resolve("en+f3")).isEqualTo("gmw/en+f3");
        assertThat(espeak.resolve("no-such-voice")).isNull();
        assertSpeech(espeak.synthesize(SENTENCE, "en").await().atMost(Duration.ofSeconds(30)), 22050);
        Pcm german = espeak.synthesize("Der schnelle braune Fuchs springt über den faulen Hund am Ufer des Flusses.",
                "de").await().atMost(Duration.ofSeconds(30));
        assertSpeech(german, 22050);
    }

    @Test
    void freeTtsSpeaksInTheJvm() {
        assertThat(freetts.available()).isTrue();
        assertSpeech(freetts.synthesize(SENTENCE, "kevin16").await().atMost(Duration.ofSeconds(60)), 16000);
    }
}
