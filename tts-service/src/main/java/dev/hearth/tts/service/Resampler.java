package dev.hearth.tts.service;

import dev.hearth.tts.engine.Audio;
import dev.hearth.tts.engine.Pcm;

/**
 * Band-limited resampling by windowed-sinc interpolation (Hann window, 16 zero crossings each
 * side). When downsampling the cutoff drops to the new Nyquist so nothing aliases.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 16;

    private Resampler() {
    }

    public static Pcm resample(Pcm pcm, int rate) {
        if (rate <= 0 || rate == pcm.sampleRate()) {
            return pcm;
        }
        return new Pcm(Audio.bytes(resample(Audio.samples(pcm.data()), pcm.sampleRate(), rate)), rate);
    }

    public static short[] resample(short[] in, int from, int to) {
        if (from == to || in.length == 0) {
            return in;
        }
        double ratio = (double) to / from;
        double cutoff = Math.min(1.0, ratio) * 0.97; // a little below Nyquist for the window's transition band
        double halfWidth = ZERO_CROSSINGS / cutoff;
        int outLength = (int) Math.round(in.length * ratio);
        short[] out = new short[outLength];
        for (int n = 0; n < outLength; n++) {
            double t = n / ratio;
            int first = (int) Math.ceil(t - halfWidth);
            int last = (int) Math.floor(t + halfWidth);
            double sum = 0;
            double weights = 0;
            for (int k = Math.max(first, 0); k <= Math.min(last, in.length - 1); k++) {
                double x = t - k;
                double w = cutoff * sinc(cutoff * x) * (0.5 + 0.5 * Math.cos(Math.PI * x / halfWidth));
                sum += w * in[k];
                weights += w;
            }
            // Normalizing by the weights keeps DC gain at 1 near the edges, where taps are missing.
            double v = weights == 0 ? 0 : sum / weights;
            out[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }
}
