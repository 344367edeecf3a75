package dev.hearth.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A decoded client message: {@code {"action": ..., "request_id": ..., "payload": {...}}}. */
public record ClientMessage(String action, String requestId, ObjectNode payload) {

    /** An optional string field of the payload; absent or null gives {@code null}. */
    public String optionalString(String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " must be a string");
        }
        return value.textValue();
    }

    public String requiredString(String field) {
        String value = optionalString(field);
        if (value == null || value.isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " is required");
        }
        return value;
    }

    public boolean optionalBoolean(String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** An optional integer field; absent or null gives {@code fallback}. */
    public long optionalLong(String field, long fallback) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " must be an integer");
        }
        return value.longValue();
    }

    /** An optional array of non-blank strings; absent or null gives an empty list. */
    public java.util.List<String> optionalStringList(String field, int maxItems, int maxLength) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return java.util.List.of();
        }
        if (!value.isArray() || value.size() > maxItems) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " must be an array of at most "
                    + maxItems + " strings");
        }
        java.util.List<String> items = new java.util.ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > maxLength) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field
                        + " must hold non-blank strings of at most " + maxLength + " characters");
            }
            items.add(item.textValue());
        }
        return items;
    }
}
