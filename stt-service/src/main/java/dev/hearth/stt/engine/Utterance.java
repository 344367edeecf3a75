package dev.hearth.stt.engine;

/**
 * One utterance to transcribe.
 *
 * @param samples 16 kHz mono signed 16-bit PCM
 * @param language BCP-47 language or empty for the engine's default
 * @param requestId for logs and correlation
 */
public record Utterance(short[] samples, String language, String requestId) {

    public static final int SAMPLE_RATE = 16_000;

    public int durationMs() {
        return (int) (samples.length * 1000L / SAMPLE_RATE);
    }
}
