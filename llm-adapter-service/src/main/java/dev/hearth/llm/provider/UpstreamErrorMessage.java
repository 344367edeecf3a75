package dev.hearth.llm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The human-readable message in a provider's error body. Shapes differ by vendor:
 * OpenAI, OpenRouter, Gemini and Anthropic nest it in {@code error.message}; Ollama and
 * llama.cpp put a string in {@code error}; vLLM and other FastAPI servers use {@code detail}
 * or {@code message}. Anything else is passed on raw, shortened.
 */
public final class UpstreamErrorMessage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LENGTH = 500;

    private UpstreamErrorMessage() {
    }

    public static String of(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            String message = fromJson(root);
            if (message != null && !message.isBlank()) {
                return shorten(message.strip());
            }
        } catch (Exception notJson) {
            // an HTML error page from a proxy, or plain text: pass it on as it is
        }
        return shorten(body.strip());
    }

    /** The message of an already parsed error object (also used for errors sent inside a stream). */
    public static String fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (!node.isObject()) {
            return null;
        }
        JsonNode error = node.get("error");
        if (error != null && !error.isNull()) {
            String nested = fromJson(error);
            if (nested != null) {
                return nested;
            }
        }
        for (String field : new String[] { "message", "detail" }) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
            if (value != null && !value.isNull()) {
                return value.toString();
            }
        }
        return null;
    }

    private static String shorten(String message) {
        return message.length() <= MAX_LENGTH ? message : message.substring(0, MAX_LENGTH) + "…";
    }
}
