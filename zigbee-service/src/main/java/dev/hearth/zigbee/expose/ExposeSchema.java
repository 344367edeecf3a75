package dev.hearth.zigbee.expose;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a device's writable exposes into the JSON Schema of its tool's arguments, so a model sees the
 * same limits the validator enforces: binary → enum of its on/off/toggle values, numeric → number
 * (integer when the step is integral) with min/max and unit/presets in the description, enum → its
 * values, text → string, list → array, composite → nested object.
 */
public final class ExposeSchema {

    /** The argument every risky device's tool takes. */
    public static final String CONFIRM = "confirm";
    /** Lights also take Zigbee2MQTT's transition time, which no expose lists. */
    public static final String TRANSITION = "transition";

    private ExposeSchema() {
    }

    /** A JSON Schema object; {@code properties} is empty when nothing can be set (a read-only sensor). */
    public static JsonObject inputSchema(JsonArray exposes, boolean needsConfirm) {
        JsonObject properties = new JsonObject();
        for (Map.Entry<String, JsonObject> entry : Exposes.properties(exposes).entrySet()) {
            if (Exposes.writable(entry.getValue())) {
                properties.put(entry.getKey(), schemaOf(entry.getValue()));
            }
        }
        if (!properties.isEmpty() && Exposes.hasType(exposes, "light")) {
            properties.put(TRANSITION, new JsonObject().put("type", "number").put("minimum", 0)
                    .put("description", "seconds the change takes (lights only)"));
        }
        if (needsConfirm && !properties.isEmpty()) {
            properties.put(CONFIRM, new JsonObject().put("type", "boolean").put("description",
                    "Set true ONLY after the user explicitly confirmed this exact change: this device is risky "
                            + "(it can lock/unlock, move, heat or sound an alarm). Ask the user first."));
        }
        return new JsonObject().put("type", "object").put("properties", properties).put("additionalProperties", false);
    }

    static JsonObject schemaOf(JsonObject expose) {
        String type = expose.getString("type", "");
        JsonObject schema = switch (type) {
            case "binary" -> binary(expose);
            case "numeric" -> numeric(expose);
            case "enum" -> enumeration(expose);
            case "composite" -> composite(expose);
            case "list" -> list(expose);
            default -> new JsonObject().put("type", "string");
        };
        String description = describe(expose);
        if (!description.isEmpty()) {
            schema.put("description", description);
        }
        return schema;
    }

    private static JsonObject binary(JsonObject expose) {
        JsonArray values = new JsonArray();
        for (String key : new String[] {"value_on", "value_off", "value_toggle"}) {
            if (expose.containsKey(key)) {
                values.add(expose.getValue(key));
            }
        }
        JsonObject schema = new JsonObject().put("enum", values);
        boolean allStrings = values.stream().allMatch(v -> v instanceof String);
        boolean allBooleans = values.stream().allMatch(v -> v instanceof Boolean);
        if (allStrings || allBooleans) {
            schema.put("type", allStrings ? "string" : "boolean");
        }
        return schema;
    }

    private static JsonObject numeric(JsonObject expose) {
        JsonObject schema = new JsonObject().put("type", integral(expose) ? "integer" : "number");
        if (expose.getValue("value_min") instanceof Number min) {
            schema.put("minimum", min);
        }
        if (expose.getValue("value_max") instanceof Number max) {
            schema.put("maximum", max);
        }
        return schema;
    }

    static boolean integral(JsonObject expose) {
        return expose.getValue("value_step") instanceof Number step && step.doubleValue() > 0
                && step.doubleValue() == Math.rint(step.doubleValue());
    }

    private static JsonObject enumeration(JsonObject expose) {
        JsonArray values = expose.getJsonArray("values", new JsonArray());
        JsonObject schema = new JsonObject().put("enum", values);
        if (values.stream().allMatch(v -> v instanceof String)) {
            schema.put("type", "string");
        }
        return schema;
    }

    private static JsonObject composite(JsonObject expose) {
        JsonObject properties = new JsonObject();
        for (Object f : expose.getJsonArray("features", new JsonArray())) {
            if (f instanceof JsonObject feature && Exposes.property(feature) != null && Exposes.writable(feature)) {
                properties.put(Exposes.property(feature), schemaOf(feature));
            }
        }
        return new JsonObject().put("type", "object").put("properties", properties);
    }

    private static JsonObject list(JsonObject expose) {
        JsonObject schema = new JsonObject().put("type", "array");
        if (expose.getValue("item_type") instanceof JsonObject item) {
            schema.put("items", schemaOf(item));
        }
        if (expose.getValue("length_min") instanceof Number min) {
            schema.put("minItems", min);
        }
        if (expose.getValue("length_max") instanceof Number max) {
            schema.put("maxItems", max);
        }
        return schema;
    }

    /** Zigbee2MQTT's description, the unit and the presets, in words. */
    static String describe(JsonObject expose) {
        List<String> parts = new ArrayList<>();
        String description = expose.getString("description");
        if (description != null && !description.isBlank()) {
            parts.add(description.strip());
        }
        if (expose.getValue("unit") instanceof String unit && !unit.isBlank()) {
            parts.add("unit: " + unit);
        }
        if (expose.getValue("presets") instanceof JsonArray presets && !presets.isEmpty()) {
            List<String> named = new ArrayList<>();
            for (Object p : presets) {
                if (p instanceof JsonObject preset) {
                    named.add(preset.getString("name", "?") + "=" + preset.getValue("value"));
                }
            }
            parts.add("presets: " + String.join(", ", named));
        }
        return String.join("; ", parts);
    }

    /** One line per capability for a tool's description: {@code brightness (0–254)}, {@code state (ON/OFF/TOGGLE)}. */
    public static String summary(JsonObject expose) {
        String type = expose.getString("type", "");
        StringBuilder out = new StringBuilder(Exposes.property(expose));
        switch (type) {
            case "binary" -> {
                List<String> values = new ArrayList<>();
                for (String key : new String[] {"value_on", "value_off", "value_toggle"}) {
                    if (expose.containsKey(key)) {
                        values.add(String.valueOf(expose.getValue(key)));
                    }
                }
                out.append(" (").append(String.join("/", values)).append(')');
            }
            case "numeric" -> {
                if (expose.containsKey("value_min") || expose.containsKey("value_max")) {
                    out.append(" (").append(expose.getValue("value_min", "…")).append('–')
                            .append(expose.getValue("value_max", "…"));
                    if (expose.getValue("unit") instanceof String unit) {
                        out.append(' ').append(unit);
                    }
                    out.append(')');
                } else if (expose.getValue("unit") instanceof String unit) {
                    out.append(" (").append(unit).append(')');
                }
            }
            case "enum" -> out.append(" (").append(String.join("/",
                    expose.getJsonArray("values", new JsonArray()).stream().map(String::valueOf).toList())).append(')');
            default -> {
            }
        }
        return out.toString();
    }
}
