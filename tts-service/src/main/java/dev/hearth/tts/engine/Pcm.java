package dev.hearth.tts.engine;

/** Mono signed 16-bit little-endian PCM at a sample rate. */
public record Pcm(byte[] data, int sampleRate) {

    public double seconds() {
        return data.length / 2.0 / sampleRate;
    }
}
