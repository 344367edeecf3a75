package dev.hearth.llm.provider.gemini;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.proto.v1.ToolSpec;

/**
 * A tool's JSON Schema as Gemini takes it. v1beta's {@code FunctionDeclaration} has two fields:
 * {@code parameters} (an OpenAPI 3.0 subset: no {@code $ref}, {@code additionalProperties},
 * type arrays...) and {@code parametersJsonSchema} (JSON Schema: {@code $defs}, {@code $ref},
 * {@code anyOf}, {@code additionalProperties}... are understood). We send the latter, as MCP
 * tools' schemas are JSON Schema. What it cannot take is refused here with a clear message
 * rather than by Google's 400: a root that does not describe an object, and function names
 * outside Gemini's alphabet. {@code $schema} (a draft marker MCP servers often add, which Gemini
 * rejects) is dropped.
 */
final class GeminiToolSchema {

    // Gemini: starts with a letter or '_'; letters, digits, '_', '.', ':', '-'; at most 64.
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

    private GeminiToolSchema() {
    }

    static void checkName(String name, int index) {
        if (name.isBlank()) {
            throw ProviderErrors.invalidArgument("tools[" + index + "] has no name");
        }
        if (!NAME.matcher(name).matches()) {
            throw ProviderErrors.invalidArgument("tools[" + index + "] name '" + name + "' is not a Gemini function "
                    + "name (a letter or '_' first, then letters, digits, '_', '.', ':' or '-'; at most 64)");
        }
    }

    /** @return the schema to send, or null for a tool that takes no arguments */
    static JsonNode parameters(ToolSpec spec, int index, ObjectMapper json) {
        if (spec.getInputSchemaJson().isBlank()) {
            return null;
        }
        JsonNode schema;
        try {
            schema = json.readTree(spec.getInputSchemaJson());
        } catch (JsonProcessingException e) {
            throw ProviderErrors.invalidArgument(where(spec, index) + " input_schema_json is not JSON: "
                    + e.getOriginalMessage());
        }
        if (!schema.isObject()) {
            throw ProviderErrors.invalidArgument(where(spec, index) + " input_schema_json must be a JSON object");
        }
        JsonNode type = schema.get("type");
        boolean objectType = type == null ? schema.has("properties") || schema.isEmpty()
                : type.isTextual() ? "object".equals(type.asText()) : containsObject(type);
        if (!objectType) {
            throw ProviderErrors.invalidArgument(where(spec, index) + " input_schema_json must describe an object "
                    + "(\"type\": \"object\"): Gemini passes a function's arguments as the properties of one object");
        }
        ObjectNode copy = schema.deepCopy();
        dropSchemaMarkers(copy);
        return copy;
    }

    private static boolean containsObject(JsonNode types) {
        for (JsonNode t : types) {
            if ("object".equals(t.asText())) {
                return true;
            }
        }
        return false;
    }

    // Only where a schema sits: a property *named* "$schema" under "properties" is left alone.
    private static void dropSchemaMarkers(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("$schema");
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isSchemaMap(field.getKey())) {
                    field.getValue().forEach(GeminiToolSchema::dropSchemaMarkers);
                } else {
                    dropSchemaMarkers(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(GeminiToolSchema::dropSchemaMarkers);
        }
    }

    private static boolean isSchemaMap(String keyword) {
        return keyword.equals("properties") || keyword.equals("$defs") || keyword.equals("definitions")
                || keyword.equals("patternProperties");
    }

    private static String where(ToolSpec spec, int index) {
        return "tools[" + index + "] (" + spec.getName() + ")";
    }
}
