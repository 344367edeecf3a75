package dev.hearth.zigbee.expose;

import static dev.hearth.zigbee.expose.InvalidStateException.INVALID_ARGUMENTS;
import static dev.hearth.zigbee.expose.InvalidStateException.READ_ONLY;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Checks a requested state against the device's exposes before anything reaches the radio: unknown
 * property, wrong type, out of range, not one of the values, or a read-only property are refused with
 * a message naming the property and what it accepts. Returns the state normalized to Zigbee2MQTT's
 * spelling ({@code "on"} → {@code "ON"}).
 */
public final class StateValidator {

    private StateValidator() {
    }

    public static JsonObject validate(JsonArray exposes, JsonObject requested) {
        if (requested == null || requested.isEmpty()) {
            throw new InvalidStateException(INVALID_ARGUMENTS, "the state must name at least one property");
        }
        Map<String, JsonObject> properties = Exposes.properties(exposes);
        boolean light = Exposes.hasType(exposes, "light");
        JsonObject normalized = new JsonObject();
        for (Map.Entry<String, Object> entry : requested) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if (light && ExposeSchema.TRANSITION.equals(name)) {
                if (!(value instanceof Number n) || n.doubleValue() < 0) {
                    throw new InvalidStateException(INVALID_ARGUMENTS, "`transition` must be a number of seconds ≥ 0");
                }
                normalized.put(name, value);
                continue;
            }
            JsonObject expose = properties.get(name);
            if (expose == null) {
                throw new InvalidStateException(INVALID_ARGUMENTS, "unknown property `" + name + "`; this device "
                        + "can set: " + String.join(", ", properties.entrySet().stream()
                                .filter(e -> Exposes.writable(e.getValue())).map(Map.Entry::getKey).toList()));
            }
            if (!Exposes.writable(expose)) {
                throw new InvalidStateException(READ_ONLY, "`" + name + "` is read-only on this device");
            }
            normalized.put(name, value(name, expose, value));
        }
        return normalized;
    }

    private static Object value(String path, JsonObject expose, Object value) {
        String type = expose.getString("type", "");
        return switch (type) {
            case "binary" -> binary(path, expose, value);
            case "numeric" -> numeric(path, expose, value);
            case "enum" -> enumeration(path, expose, value);
            case "composite" -> composite(path, expose, value);
            case "list" -> list(path, expose, value);
            case "text" -> {
                if (!(value instanceof String)) {
                    throw wrongType(path, "a string", value);
                }
                yield value;
            }
            default -> value;
        };
    }

    private static Object binary(String path, JsonObject expose, Object value) {
        for (String key : new String[] {"value_on", "value_off", "value_toggle"}) {
            Object allowed = expose.getValue(key);
            if (allowed != null && (allowed.equals(value)
                    || allowed instanceof String a && value instanceof String v && a.equalsIgnoreCase(v))) {
                return allowed;
            }
        }
        throw new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` must be one of " + allowedBinary(expose)
                + ", got " + describe(value));
    }

    private static String allowedBinary(JsonObject expose) {
        JsonArray values = new JsonArray();
        for (String key : new String[] {"value_on", "value_off", "value_toggle"}) {
            if (expose.containsKey(key)) {
                values.add(expose.getValue(key));
            }
        }
        return values.encode();
    }

    private static Object numeric(String path, JsonObject expose, Object value) {
        if (value instanceof String preset && expose.getValue("presets") instanceof JsonArray presets) {
            for (Object p : presets) {
                if (p instanceof JsonObject named && preset.equalsIgnoreCase(named.getString("name", ""))) {
                    return named.getValue("value");
                }
            }
        }
        if (!(value instanceof Number number)) {
            throw wrongType(path, "a number", value);
        }
        double v = number.doubleValue();
        if (ExposeSchema.integral(expose) && v != Math.rint(v)) {
            throw new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` must be a whole number, got " + value);
        }
        Number min = expose.getValue("value_min") instanceof Number n ? n : null;
        Number max = expose.getValue("value_max") instanceof Number n ? n : null;
        if ((min != null && v < min.doubleValue()) || (max != null && v > max.doubleValue())) {
            throw new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` must be between "
                    + (min == null ? "-∞" : min) + " and " + (max == null ? "∞" : max) + ", got " + value);
        }
        return value;
    }

    private static Object enumeration(String path, JsonObject expose, Object value) {
        JsonArray values = expose.getJsonArray("values", new JsonArray());
        for (Object allowed : values) {
            if (allowed.equals(value) || allowed instanceof String a && value instanceof String v && a.equalsIgnoreCase(v)) {
                return allowed;
            }
        }
        throw new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` must be one of " + values.encode()
                + ", got " + describe(value));
    }

    private static Object composite(String path, JsonObject expose, Object value) {
        if (!(value instanceof JsonObject object)) {
            throw wrongType(path, "an object", value);
        }
        JsonObject normalized = new JsonObject();
        for (Map.Entry<String, Object> entry : object) {
            JsonObject feature = null;
            for (Object f : expose.getJsonArray("features", new JsonArray())) {
                if (f instanceof JsonObject candidate && entry.getKey().equals(Exposes.property(candidate))) {
                    feature = candidate;
                }
            }
            String featurePath = path + "." + entry.getKey();
            if (feature == null) {
                // Zigbee2MQTT also takes colors as hex: {"color":{"hex":"#ff8800"}}.
                if ("color".equals(path) && "hex".equals(entry.getKey()) && entry.getValue() instanceof String hex
                        && hex.matches("#?[0-9a-fA-F]{6}")) {
                    normalized.put("hex", hex);
                    continue;
                }
                throw new InvalidStateException(INVALID_ARGUMENTS, "unknown property `" + featurePath + "`");
            }
            if (!Exposes.writable(feature)) {
                throw new InvalidStateException(READ_ONLY, "`" + featurePath + "` is read-only on this device");
            }
            normalized.put(entry.getKey(), value(featurePath, feature, entry.getValue()));
        }
        if (normalized.isEmpty()) {
            throw new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` must not be empty");
        }
        return normalized;
    }

    private static Object list(String path, JsonObject expose, Object value) {
        if (!(value instanceof JsonArray array)) {
            throw wrongType(path, "an array", value);
        }
        if (expose.getValue("length_min") instanceof Number min && array.size() < min.intValue()
                || expose.getValue("length_max") instanceof Number max && array.size() > max.intValue()) {
            throw new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` has a wrong number of items ("
                    + array.size() + ")");
        }
        if (!(expose.getValue("item_type") instanceof JsonObject item)) {
            return array;
        }
        JsonArray normalized = new JsonArray();
        for (int i = 0; i < array.size(); i++) {
            normalized.add(value(path + "[" + i + "]", item, array.getValue(i)));
        }
        return normalized;
    }

    private static InvalidStateException wrongType(String path, String expected, Object value) {
        return new InvalidStateException(INVALID_ARGUMENTS, "`" + path + "` must be " + expected + ", got "
                + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String kind = value instanceof String ? "string" : value instanceof Number ? "number"
                : value instanceof Boolean ? "boolean" : value instanceof JsonObject ? "object"
                : value instanceof JsonArray ? "array" : value.getClass().getSimpleName();
        return kind + " " + (value instanceof String s ? "\"" + s + "\"" : String.valueOf(value));
    }
}
