package dev.hearth.tts.service;

import dev.hearth.tts.engine.Audio;
import dev.hearth.tts.engine.Pcm;

/** Resamples tts-service's {@link Pcm} with the suite's shared windowed-sinc {@link dev.hearth.audio.Resampler}. */
public final class Resampler {

    private Resampler() {
    }

    public static Pcm resample(Pcm pcm, int rate) {
        if (rate <= 0 || rate == pcm.sampleRate()) {
            return pcm;
        }
        return new Pcm(Audio.bytes(resample(Audio.samples(pcm.data()), pcm.sampleRate(), rate)), rate);
    }

    public static short[] resample(short[] in, int from, int to) {
        return dev.hearth.audio.Resampler.resample(in, from, to);
    }
}
