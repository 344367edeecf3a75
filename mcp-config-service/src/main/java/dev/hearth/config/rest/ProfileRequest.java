package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.ProfileDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code POST /admin/v1/profiles} and {@code PUT /admin/v1/profiles/{name}}:
 * {@code {name, description?, system_prompt?, params?, targets, allowed_tools?, is_default?, voice?}}.
 * Whether the chain's providers exist is the repository's check, in the writing transaction.
 */
public record ProfileRequest(
        String name,
        String description,
        @JsonProperty("system_prompt") String systemPrompt,
        Params params,
        List<Target> targets,
        @JsonProperty("allowed_tools") List<String> allowedTools,
        @JsonProperty("is_default") Boolean isDefault,
        Voice voice,
        @JsonAnySetter Map<String, Object> unknownFields) {

    /** Speech settings of the profile's voice turns; absent fields: the speech services' default. */
    public record Voice(
            @JsonProperty("stt_engine") String sttEngine,
            @JsonProperty("tts_engine") String ttsEngine,
            @JsonProperty("tts_voice") String ttsVoice,
            String language,
            @JsonAnySetter Map<String, Object> unknownFields) {
    }

    public record Params(
            Double temperature,
            @JsonProperty("top_p") Double topP,
            // A long, so an absurd number is a range problem, not a JSON one.
            @JsonProperty("max_tokens") Long maxTokens,
            List<String> stop,
            @JsonAnySetter Map<String, Object> unknownFields) {
    }

    public record Target(String provider, String model, @JsonAnySetter Map<String, Object> unknownFields) {
    }

    static final int MAX_DESCRIPTION_LENGTH = 1000;
    /** Generous for a persona and house rules, small enough that every chat turn can carry it. */
    static final int MAX_SYSTEM_PROMPT_LENGTH = 32_000;
    static final int MAX_TARGETS = 8;
    static final int MAX_MODEL_LENGTH = ProviderRequest.MAX_MODEL_LENGTH;
    static final long MAX_TOKENS = 1_000_000;
    static final int MAX_STOP = 4;
    static final int MAX_STOP_LENGTH = 100;
    static final int MAX_TOOLS = 256;
    /** A tool name or a glob over names ({@code *}, {@code ?}); MCP names use letters, digits, _ - . / :. */
    static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.:/*?-]{1,128}");
    /** An engine name as the speech services know them ({@code pocketsphinx}, {@code flite}, {@code openai}, ...). */
    static final Pattern ENGINE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** A voice: a flite/espeak voice name or variant ({@code slt}, {@code en+f3}), a remote voice id. */
    static final Pattern VOICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+:/-]{0,127}");
    /** A BCP-47 language tag as speech engines take them ({@code en}, {@code en-US}, {@code pt-BR}). */
    static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

    /**
     * The validated profile, or a 400 {@code invalid_request} naming every problem at once.
     *
     * @param pathName the name in the path of a PUT (the body may omit it); null for a POST
     */
    ProfileDefinition validate(String pathName) {
        FieldProblems problems = new FieldProblems();
        problems.unknown("", unknownFields);
        String checkedName = pathName == null ? name : pathName;
        if (pathName == null) {
            problems.name("name", name);
        } else if (name != null && !name.equals(pathName)) {
            problems.add("name ('" + name + "') differs from the name in the path ('" + pathName
                    + "'): a profile cannot be renamed; create one with the new name instead");
        }
        String checkedDescription = problems.text("description", description, MAX_DESCRIPTION_LENGTH, true);
        String checkedPrompt = systemPrompt == null ? "" : systemPrompt;
        if (checkedPrompt.codePointCount(0, checkedPrompt.length()) > MAX_SYSTEM_PROMPT_LENGTH) {
            problems.add("system_prompt must be at most " + MAX_SYSTEM_PROMPT_LENGTH + " characters");
        }
        ProfileDefinition.Params checkedParams = params(problems);
        List<ProfileDefinition.Target> chain = targets(problems);
        List<String> tools = tools(problems);
        ProfileDefinition.Voice checkedVoice = voice(problems);
        problems.throwIfAny();
        return new ProfileDefinition(checkedName, checkedDescription, checkedPrompt, checkedParams, chain, tools,
                Boolean.TRUE.equals(isDefault), checkedVoice);
    }

    private ProfileDefinition.Voice voice(FieldProblems problems) {
        if (voice == null) {
            return ProfileDefinition.Voice.DEFAULTS;
        }
        problems.unknown("voice.", voice.unknownFields());
        matches(problems, "voice.stt_engine", voice.sttEngine(), ENGINE,
                "an engine name: 1 to 32 of a-z 0-9 _ - (pocketsphinx, openai, wyoming)");
        matches(problems, "voice.tts_engine", voice.ttsEngine(), ENGINE,
                "an engine name: 1 to 32 of a-z 0-9 _ - (flite, espeak, freetts, openai, wyoming)");
        matches(problems, "voice.tts_voice", voice.ttsVoice(), VOICE,
                "a voice name: 1 to 128 of A-Z a-z 0-9 _ . + : / -");
        matches(problems, "voice.language", voice.language(), LANGUAGE, "a language tag such as en, en-US or pt-BR");
        return new ProfileDefinition.Voice(voice.sttEngine(), voice.ttsEngine(), voice.ttsVoice(), voice.language());
    }

    /** Absent and empty are both "the default"; anything else must match. */
    private static void matches(FieldProblems problems, String field, String value, Pattern pattern, String what) {
        if (value != null && !value.isEmpty() && !pattern.matcher(value).matches()) {
            problems.add(field + " must be " + what);
        }
    }

    private ProfileDefinition.Params params(FieldProblems problems) {
        if (params == null) {
            return ProfileDefinition.Params.DEFAULTS;
        }
        problems.unknown("params.", params.unknownFields());
        if (params.temperature() != null && !(params.temperature() >= 0 && params.temperature() <= 2)) {
            problems.add("params.temperature must be from 0 to 2");
        }
        if (params.topP() != null && !(params.topP() >= 0 && params.topP() <= 1)) {
            problems.add("params.top_p must be from 0 to 1");
        }
        if (params.maxTokens() != null && (params.maxTokens() < 1 || params.maxTokens() > MAX_TOKENS)) {
            problems.add("params.max_tokens must be from 1 to " + MAX_TOKENS);
        }
        List<String> stop = params.stop() == null ? List.of() : params.stop();
        if (stop.size() > MAX_STOP) {
            problems.add("params.stop may have at most " + MAX_STOP + " sequences");
        } else {
            for (int i = 0; i < stop.size(); i++) {
                String sequence = stop.get(i);
                if (sequence == null || sequence.isEmpty()) {
                    problems.add("params.stop[" + i + "] must not be empty");
                } else if (sequence.codePointCount(0, sequence.length()) > MAX_STOP_LENGTH) {
                    problems.add("params.stop[" + i + "] must be at most " + MAX_STOP_LENGTH + " characters");
                }
            }
        }
        return new ProfileDefinition.Params(params.temperature(), params.topP(),
                params.maxTokens() == null ? null : params.maxTokens().intValue(),
                stop.stream().filter(Objects::nonNull).toList());
    }

    private List<ProfileDefinition.Target> targets(FieldProblems problems) {
        if (targets == null || targets.isEmpty()) {
            problems.add("targets is required: the fallback chain, 1 to " + MAX_TARGETS
                    + " of {\"provider\": \"...\", \"model\": \"...\"}, tried in order");
            return List.of();
        }
        if (targets.size() > MAX_TARGETS) {
            problems.add("targets may have at most " + MAX_TARGETS + " links");
            return List.of();
        }
        List<ProfileDefinition.Target> chain = new ArrayList<>(targets.size());
        Set<ProfileDefinition.Target> seen = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            String field = "targets[" + i + "]";
            if (target == null) {
                problems.add(field + " must be {\"provider\": \"...\", \"model\": \"...\"}");
                continue;
            }
            problems.unknown(field + ".", target.unknownFields());
            problems.name(field + ".provider", target.provider());
            problems.requiredText(field + ".model", target.model(), MAX_MODEL_LENGTH);
            ProfileDefinition.Target link = new ProfileDefinition.Target(target.provider(), target.model());
            if (target.provider() != null && target.model() != null && !seen.add(link)) {
                problems.add(field + " repeats an earlier link (" + target.provider() + ", " + target.model() + ")");
            }
            chain.add(link);
        }
        return chain;
    }

    private List<String> tools(FieldProblems problems) {
        if (allowedTools == null) {
            return List.of();
        }
        if (allowedTools.size() > MAX_TOOLS) {
            problems.add("allowed_tools may have at most " + MAX_TOOLS + " entries");
            return List.of();
        }
        for (int i = 0; i < allowedTools.size(); i++) {
            String tool = allowedTools.get(i);
            if (tool == null || !TOOL.matcher(tool).matches()) {
                problems.add("allowed_tools[" + i + "] must be a tool name or glob: 1 to 128 of "
                        + "A-Z a-z 0-9 _ - . / : and the wildcards * ?");
            }
        }
        // Repeats say nothing more: kept once, in first-seen order.
        return List.copyOf(allowedTools.stream().filter(Objects::nonNull).collect(Collectors.toCollection(LinkedHashSet::new)));
    }
}
