package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.ProfileDefinition;
import java.util.List;

/**
 * A profile as the admin API shows it: the same shape a PUT takes, so GET, edit, PUT works. The
 * chain names providers; {@code GET /admin/v1/providers/{name}} shows them.
 */
public record ProfileResponse(
        String name,
        String description,
        @JsonProperty("system_prompt") String systemPrompt,
        Params params,
        List<Target> targets,
        @JsonProperty("allowed_tools") List<String> allowedTools,
        @JsonProperty("is_default") boolean isDefault,
        Voice voice) {

    /** Empty strings: the speech services' default. */
    public record Voice(
            @JsonProperty("stt_engine") String sttEngine,
            @JsonProperty("tts_engine") String ttsEngine,
            @JsonProperty("tts_voice") String ttsVoice,
            String language) {
    }

    /** null: the provider's default. */
    public record Params(
            Double temperature,
            @JsonProperty("top_p") Double topP,
            @JsonProperty("max_tokens") Integer maxTokens,
            List<String> stop) {
    }

    public record Target(String provider, String model) {
    }

    static ProfileResponse of(ProfileDefinition profile) {
        ProfileDefinition.Params p = profile.params();
        return new ProfileResponse(profile.name(), profile.description(), profile.systemPrompt(),
                new Params(p.temperature(), p.topP(), p.maxTokens(), p.stop()),
                profile.targets().stream().map(t -> new Target(t.provider(), t.model())).toList(),
                profile.allowedTools(), profile.isDefault(), new Voice(profile.voice().sttEngine(),
                        profile.voice().ttsEngine(), profile.voice().ttsVoice(), profile.voice().language()));
    }
}
