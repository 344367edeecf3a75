package dev.hearth.stt.vad;

/**
 * Voice activity of one audio stream, frame by frame: 512 samples (32 ms) of 16 kHz mono audio.
 * Stateful (one per call); not thread-safe.
 */
public interface VoiceDetector extends AutoCloseable {

    int FRAME_SAMPLES = 512;
    int FRAME_MS = 32;

    /** Speech probability of the next frame, in [0, 1]. */
    float speechProbability(short[] frame);

    /** {@code silero} or {@code energy}. */
    String name();

    @Override
    default void close() {
    }
}
