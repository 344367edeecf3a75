package dev.hearth.tts.engine;

import java.util.List;

/** A voice an engine offers. */
public record Voice(String name, List<String> languages, String description) {
}
