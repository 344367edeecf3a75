package dev.hearth.infra;

import java.util.Map;

/** Reads settings from an environment map (injected, so tests and the launcher can pass their own). */
final class Env {

    private final Map<String, String> values;

    Env(Map<String, String> values) {
        this.values = values;
    }

    String get(String name, String fallback) {
        String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    int getInt(String name, int fallback) {
        String value = get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a port number: " + value, e);
        }
    }
}
