package dev.hearth.stt.engine;

import java.util.List;

/**
 * What an engine heard in one utterance.
 *
 * @param text the transcript, empty when nothing was recognized
 * @param words word timings relative to the utterance start, empty when the engine gives none
 * @param confidence in [0, 1], 0 when the engine gives none
 * @param command recognized against the home's command grammar
 * @param language the language the engine used or detected, empty when unknown
 */
public record EngineTranscript(String text, List<Word> words, float confidence, boolean command, String language) {

    public record Word(String word, int startMs, int endMs, float confidence) {}
}
