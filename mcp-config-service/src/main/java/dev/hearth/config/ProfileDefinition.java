package dev.hearth.config;

import java.util.List;

/**
 * A profile as operators define it (already validated): what the router reads, with the fallback
 * chain naming providers rather than embedding them.
 *
 * @param targets the fallback chain, tried in order; the first is the primary
 */
public record ProfileDefinition(String name, String description, String systemPrompt, Params params,
        List<Target> targets, List<String> allowedTools, boolean isDefault, Voice voice) {

    public ProfileDefinition {
        targets = List.copyOf(targets);
        allowedTools = List.copyOf(allowedTools);
        voice = voice == null ? Voice.DEFAULTS : voice;
    }

    public ProfileDefinition(String name, String description, String systemPrompt, Params params,
            List<Target> targets, List<String> allowedTools, boolean isDefault) {
        this(name, description, systemPrompt, params, targets, allowedTools, isDefault, Voice.DEFAULTS);
    }

    /** Speech settings of voice turns; empty: the speech services' default. */
    public record Voice(String sttEngine, String ttsEngine, String ttsVoice, String language) {

        public static final Voice DEFAULTS = new Voice("", "", "", "");

        public Voice {
            sttEngine = sttEngine == null ? "" : sttEngine;
            ttsEngine = ttsEngine == null ? "" : ttsEngine;
            ttsVoice = ttsVoice == null ? "" : ttsVoice;
            language = language == null ? "" : language;
        }
    }

    /** One link of the chain: a provider (by name) and the model to ask it for. */
    public record Target(String provider, String model) {
    }

    /** Generation parameters; null: the provider's default. */
    public record Params(Double temperature, Double topP, Integer maxTokens, List<String> stop) {

        public static final Params DEFAULTS = new Params(null, null, null, List.of());

        public Params {
            stop = List.copyOf(stop);
        }
    }
}
