package dev.hearth.tts.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.tts.engine.Audio;
import dev.hearth.tts.engine.Pcm;
import dev.hearth.tts.engine.Wav;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    static short[] sine(double hz, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** Frequency of the strongest bin of a direct DFT, searched 1 Hz apart. */
    static double peakHz(short[] s, int rate, double from, double to) {
        double best = 0;
        double bestPower = -1;
        for (double hz = from; hz <= to; hz += 1) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < s.length; i++) {
                double phase = 2 * Math.PI * hz * i / rate;
                re += s[i] * Math.cos(phase);
                im += s[i] * Math.sin(phase);
            }
            double power = re * re + im * im;
            if (power > bestPower) {
                bestPower = power;
                best = hz;
            }
        }
        return best;
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void upsamplingKeepsASinesFrequencyAndLevel() {
        short[] in = sine(440, 16000, 0.5, 10000);
        short[] out = Resampler.resample(in, 16000, 22050);
        assertThat(out.length).isEqualTo(Math.round(in.length * 22050.0 / 16000));
        assertThat(peakHz(out, 22050, 300, 600)).isCloseTo(440, within(2.0));
        assertThat(rms(out, 500, out.length - 500)).isCloseTo(10000 / Math.sqrt(2), within(150.0));
    }

    @Test
    void downsamplingKeepsASinesFrequencyAndRemovesWhatWouldAlias() {
        short[] tone = sine(1000, 48000, 0.5, 8000);
        short[] out = Resampler.resample(tone, 48000, 8000);
        assertThat(out.length).isEqualTo(4000);
        assertThat(peakHz(out, 8000, 500, 1500)).isCloseTo(1000, within(2.0));
        // 6 kHz is above the new Nyquist (4 kHz): it must vanish, not fold down to 2 kHz.
        short[] high = Resampler.resample(sine(6000, 48000, 0.5, 8000), 48000, 8000);
        assertThat(rms(high, 200, high.length - 200)).isLessThan(8000 / Math.sqrt(2) * 0.05);
    }

    @Test
    void sameRateIsUntouchedAndWavRoundTrips() {
        Pcm pcm = new Pcm(Audio.bytes(sine(300, 16000, 0.1, 5000)), 16000);
        assertThat(Resampler.resample(pcm, 0)).isSameAs(pcm);
        assertThat(Resampler.resample(pcm, 16000)).isSameAs(pcm);
        Pcm back = Wav.read(Wav.write(pcm));
        assertThat(back.sampleRate()).isEqualTo(16000);
        assertThat(back.data()).isEqualTo(pcm.data());
    }
}
