package dev.hearth.stt.vad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.stt.Speech;
import dev.hearth.stt.fake.FakeConfigService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Silero VAD v5 (the packaged model) and the energy detector on speech, silence and noise. */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
class VoiceDetectorsTest {

    @Inject
    VoiceDetectors detectors;

    /** Share of 32 ms frames the detector calls voiced (probability ≥ 0.5). */
    static double voiced(VoiceDetector detector, short[] audio) {
        int frames = 0;
        int voiced = 0;
        for (int at = 0; at + VoiceDetector.FRAME_SAMPLES <= audio.length; at += VoiceDetector.FRAME_SAMPLES) {
            short[] frame = java.util.Arrays.copyOfRange(audio, at, at + VoiceDetector.FRAME_SAMPLES);
            if (detector.speechProbability(frame) >= 0.5f) {
                voiced++;
            }
            frames++;
        }
        return (double) voiced / frames;
    }

    @Test
    void theSileroModelIsPackagedAndInUse() {
        assertThat(detectors.engine()).isEqualTo("silero");
        assertThat(detectors.note()).isEmpty();
        assertThat(detectors.create()).isInstanceOf(SileroDetector.class);
    }

    @Test
    void sileroHearsSpeechAndIgnoresSilenceAndNoise() {
        Assumptions.assumeTrue(Speech.fliteInstalled(), "flite is not installed: sudo apt-get install flite");
        short[] speech = Speech.say("slt", "the quick brown fox jumps over the lazy dog near the river bank");
        assertThat(voiced(detectors.create(), speech)).as("speech").isGreaterThan(0.6);
        assertThat(voiced(detectors.create(), Speech.silence(3000))).as("digital silence").isZero();
        assertThat(voiced(detectors.create(), Speech.noise(3000, 1500, 4))).as("loud white noise").isLessThan(0.05);
        // Speech in noise at 10 dB SNR is still speech.
        assertThat(voiced(detectors.create(), Speech.withNoise(speech, 10, 5))).as("speech in noise").isGreaterThan(0.5);
    }

    @Test
    void energyHearsLoudnessAboveTheBackground() {
        Assumptions.assumeTrue(Speech.fliteInstalled(), "flite is not installed: sudo apt-get install flite");
        short[] speech = Speech.say("slt", "the quick brown fox jumps over the lazy dog near the river bank");
        assertThat(voiced(detectors.energy(), Speech.concat(Speech.noise(500, 20, 1), speech))).as("speech after quiet")
                .isGreaterThan(0.5);
        assertThat(voiced(detectors.energy(), Speech.silence(3000))).as("digital silence").isZero();
        // Steady noise becomes the background: the energy detector does not call it speech...
        assertThat(voiced(detectors.energy(), Speech.noise(3000, 1500, 4))).as("steady noise").isLessThan(0.05);
        // ...but it cannot tell a sudden noise from speech, which Silero can.
        short[] burst = Speech.concat(Speech.noise(1000, 20, 6), Speech.noise(1000, 3000, 7));
        assertThat(voiced(detectors.energy(), burst)).as("noise burst, energy").isGreaterThan(0.3);
        assertThat(voiced(detectors.create(), burst)).as("noise burst, Silero").isLessThan(0.05);
    }
}
