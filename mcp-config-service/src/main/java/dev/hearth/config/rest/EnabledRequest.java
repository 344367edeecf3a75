package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** {@code PATCH} of an MCP server or one of its tools: {@code {"enabled": true|false}}. */
public record EnabledRequest(Boolean enabled, @JsonAnySetter Map<String, Object> unknownFields) {

    boolean validate() {
        FieldProblems problems = new FieldProblems();
        problems.unknown("", unknownFields);
        if (enabled == null) {
            problems.add("enabled is required: true or false");
        }
        problems.throwIfAny();
        return enabled;
    }
}
