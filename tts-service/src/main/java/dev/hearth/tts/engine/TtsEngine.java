package dev.hearth.tts.engine;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * One speech engine. {@link #synthesize} never blocks the caller: the work runs on a worker thread,
 * a child process or a remote server, and cancelling the returned {@code Uni} stops it at once.
 */
public interface TtsEngine {

    /** Stable name used in {@code TtsConfig.engine}, cache keys and metrics. */
    String name();

    /** True when the engine can be used on this host (binary installed, server configured…). */
    boolean available();

    /** Voices offered; empty when the engine accepts any voice name its server knows. */
    List<Voice> voices();

    String defaultVoice();

    /** Who made the engine and where it is from (Wyoming {@code attribution}). */
    default String attributionUrl() {
        return "";
    }

    Uni<Pcm> synthesize(String text, String voice);
}
