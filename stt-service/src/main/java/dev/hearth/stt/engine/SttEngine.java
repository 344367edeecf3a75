package dev.hearth.stt.engine;

import io.smallrye.mutiny.Uni;

/**
 * A speech-to-text engine. Every engine is an {@code @ApplicationScoped} bean; the service picks
 * one per call by {@link #name()} (the call's {@code engine}, else the profile's, else the
 * configured default) among those that are {@link #available()}.
 *
 * <p>Engines transcribe a whole utterance that voice activity detection has already cut: 16 kHz
 * mono signed 16-bit samples. An engine that cannot run (process missing, server unreachable)
 * fails the Uni with an {@link SttEngineException} carrying a stable code.
 */
public interface SttEngine {

    /** The engine's name as callers select it: {@code pocketsphinx}, {@code openai}, {@code wyoming}. */
    String name();

    /** Configured and usable on this host (a library present, a URL configured). */
    boolean available();

    /** Transcribes one utterance; runs off the event loop. */
    Uni<EngineTranscript> transcribe(Utterance utterance);
}
