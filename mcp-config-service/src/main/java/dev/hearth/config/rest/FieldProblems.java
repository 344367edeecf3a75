package dev.hearth.config.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects what is wrong with a request body, field by field, so one 400 {@code invalid_request}
 * names every problem at once (as the api-keys API does).
 */
final class FieldProblems {

    /** Provider and profile names: what the tables' CHECK constraints allow. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final String NAME_RULE = "1 to 63 of a-z 0-9 . _ -, starting with a letter or digit";

    private final List<String> problems = new ArrayList<>();

    void add(String problem) {
        problems.add(problem);
    }

    /** A required name; true when it is valid. */
    boolean name(String field, String value) {
        if (value == null || value.isEmpty()) {
            add(field + " is required");
            return false;
        }
        if (!NAME.matcher(value).matches()) {
            add(field + " must be " + NAME_RULE);
            return false;
        }
        return true;
    }

    /** Optional text of at most {@code max} characters; null reads as empty. */
    String text(String field, String value, int max, boolean multiline) {
        if (value == null) {
            return "";
        }
        if (value.codePointCount(0, value.length()) > max) {
            add(field + " must be at most " + max + " characters");
        } else if (value.chars().anyMatch(c -> Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\t' || c == '\r')))) {
            add(field + " must not contain control characters");
        }
        return value;
    }

    /** A required one-line string of at most {@code max} characters. */
    void requiredText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            add(field + " is required");
        } else {
            text(field, value, max, false);
        }
    }

    /** Fields a body has that the API does not know: refused, so a misspelt field is not silently dropped. */
    void unknown(String prefix, Map<String, Object> fields) {
        if (fields != null) {
            fields.keySet().stream().sorted().forEach(f -> add("'" + prefix + f + "' is not a field of this API"));
        }
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ProblemException(Problem.invalidRequest(String.join("; ", problems)));
        }
    }
}
