package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.Provider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/v1/providers} and {@code PUT /admin/v1/providers/{name}}:
 * {@code {name, dialect, base_url?, api_key_env?, models?, options?}}.
 */
public record ProviderRequest(
        String name,
        String dialect,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("api_key_env") String apiKeyEnv,
        List<String> models,
        Map<String, String> options,
        @JsonAnySetter Map<String, Object> unknownFields) {

    /** What llm-adapter-service speaks (or will): {@code openai} is any OpenAI-compatible server. */
    static final List<String> DIALECTS = List.of("openai", "anthropic", "gemini", "ollama", "demo");
    /** Dialects with no default endpoint: any OpenAI-compatible server could be meant. */
    static final Set<String> BASE_URL_REQUIRED = Set.of("openai");
    static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    /** How the keys of common providers start (OpenAI, Anthropic, OpenRouter, Google, xAI, Groq, GitHub, ours). */
    static final List<String> KEY_PREFIXES = List.of("sk-", "sk_", "AIza", "xai-", "gsk_", "ghp_", "github_pat_", "hk_");
    static final Pattern OPTION_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_ENV_NAME_LENGTH = 128;
    static final int MAX_MODELS = 256;
    static final int MAX_MODEL_LENGTH = 200;
    static final int MAX_OPTIONS = 64;
    static final int MAX_OPTION_VALUE_LENGTH = 1024;

    /**
     * The validated provider, or a 400 {@code invalid_request} naming every problem at once.
     *
     * @param pathName the name in the path of a PUT (the body may omit it); null for a POST
     */
    Provider validate(String pathName) {
        FieldProblems problems = new FieldProblems();
        problems.unknown("", unknownFields);
        String checkedName = pathName == null ? name : pathName;
        if (pathName == null) {
            problems.name("name", name);
        } else if (name != null && !name.equals(pathName)) {
            problems.add("name ('" + name + "') differs from the name in the path ('" + pathName
                    + "'): a provider cannot be renamed; create one with the new name instead");
        }
        if (dialect == null || dialect.isEmpty()) {
            problems.add("dialect is required: one of " + String.join(", ", DIALECTS));
        } else if (!DIALECTS.contains(dialect)) {
            problems.add("dialect must be one of " + String.join(", ", DIALECTS));
        }
        String url = baseUrl == null ? "" : baseUrl.strip();
        if (url.isEmpty()) {
            if (dialect != null && BASE_URL_REQUIRED.contains(dialect)) {
                problems.add("base_url is required for dialect " + dialect + " (e.g. https://api.openai.com/v1)");
            }
        } else {
            checkUrl(url, problems);
        }
        String keyEnv = apiKeyEnv == null ? "" : apiKeyEnv.strip();
        if (!keyEnv.isEmpty()) {
            checkEnvName(keyEnv, problems);
        }
        List<String> checkedModels = models(problems);
        Map<String, String> checkedOptions = options(problems);
        problems.throwIfAny();
        return new Provider(checkedName, dialect, url, keyEnv, checkedModels, checkedOptions);
    }

    private static void checkUrl(String url, FieldProblems problems) {
        if (url.length() > MAX_URL_LENGTH) {
            problems.add("base_url must be at most " + MAX_URL_LENGTH + " characters");
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                problems.add("base_url must be an absolute http:// or https:// URL with a host, "
                        + "e.g. https://api.openai.com/v1");
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                // Credentials have no place in the database; nor do query strings, which may carry keys.
                problems.add("base_url must not have user info, a query or a fragment: keys belong in the "
                        + "environment variable named by api_key_env");
            }
        } catch (URISyntaxException e) {
            problems.add("base_url is not a URL: " + e.getReason());
        }
    }

    /** The value is never repeated in the answer: when it is not a name, it may well be a secret. */
    private static void checkEnvName(String keyEnv, FieldProblems problems) {
        if (looksLikeKey(keyEnv)) {
            problems.add("api_key_env must be the NAME of the environment variable holding the key (e.g. "
                    + "ANTHROPIC_API_KEY), not the key itself: the value sent looks like an API key, so it was "
                    + "refused and not stored; put the key in llm-adapter-service's environment");
        } else if (keyEnv.length() > MAX_ENV_NAME_LENGTH || !ENV_NAME.matcher(keyEnv).matches()) {
            problems.add("api_key_env must be an environment variable name: up to " + MAX_ENV_NAME_LENGTH
                    + " of A-Z 0-9 _, not starting with a digit (e.g. OPENAI_API_KEY)");
        }
    }

    static boolean looksLikeKey(String value) {
        if (KEY_PREFIXES.stream().anyMatch(value::startsWith)) {
            return true;
        }
        // A long token mixing lower case and digits is a secret, not a variable name.
        return value.length() >= 20 && !value.contains(" ") && value.chars().anyMatch(Character::isLowerCase)
                && value.chars().anyMatch(Character::isDigit);
    }

    private List<String> models(FieldProblems problems) {
        if (models == null) {
            return List.of();
        }
        if (models.size() > MAX_MODELS) {
            problems.add("models may list at most " + MAX_MODELS + " models");
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        List<String> checked = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            String model = models.get(i);
            problems.requiredText("models[" + i + "]", model, MAX_MODEL_LENGTH);
            if (model != null && !seen.add(model)) {
                problems.add("models[" + i + "] repeats '" + model + "'");
            }
            checked.add(model);
        }
        return checked;
    }

    private Map<String, String> options(FieldProblems problems) {
        if (options == null) {
            return Map.of();
        }
        if (options.size() > MAX_OPTIONS) {
            problems.add("options may have at most " + MAX_OPTIONS + " entries");
            return Map.of();
        }
        Map<String, String> checked = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            if (!OPTION_KEY.matcher(key).matches()) {
                problems.add("options keys must be 1 to 64 of A-Z a-z 0-9 . _ -");
            } else if (value == null) {
                problems.add("options." + key + " must be a string");
            } else {
                problems.text("options." + key, value, MAX_OPTION_VALUE_LENGTH, false);
                checked.put(key, value);
            }
        });
        return checked;
    }
}
