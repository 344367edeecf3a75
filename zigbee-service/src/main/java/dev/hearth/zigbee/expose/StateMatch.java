package dev.hearth.zigbee.expose;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a reported state shows a command took effect: every requested property at the requested
 * value, numbers within rounding (1 % of the expose's range, or 2 %), strings in any case, a toggle by
 * any report of the property, a color by the components the device reports (a hex color comes back
 * as x/y, so its presence is enough). Keys that are not state ({@code transition}) are not checked.
 */
public final class StateMatch {

    private static final Set<String> NOT_STATE = Set.of(ExposeSchema.TRANSITION);

    private StateMatch() {
    }

    /** The requested properties the report does not (yet) show. */
    public static List<String> missing(JsonArray exposes, JsonObject requested, JsonObject reported) {
        Map<String, JsonObject> properties = Exposes.properties(exposes);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Object> entry : requested) {
            if (NOT_STATE.contains(entry.getKey())) {
                continue;
            }
            JsonObject expose = properties.get(entry.getKey());
            if (!reported.containsKey(entry.getKey())
                    || !matches(expose, entry.getValue(), reported.getValue(entry.getKey()))) {
                missing.add(entry.getKey());
            }
        }
        return missing;
    }

    /** The requested properties the device answers {@code /get} for. */
    public static List<String> readable(JsonArray exposes, JsonObject requested) {
        Map<String, JsonObject> properties = Exposes.properties(exposes);
        List<String> readable = new ArrayList<>();
        for (String name : requested.fieldNames()) {
            JsonObject expose = properties.get(name);
            if (expose != null && Exposes.readable(expose)) {
                readable.add(name);
            }
        }
        return readable;
    }

    static boolean matches(JsonObject expose, Object wanted, Object actual) {
        if (expose != null && "binary".equals(expose.getString("type")) && expose.containsKey("value_toggle")
                && expose.getValue("value_toggle").equals(wanted)) {
            return actual != null;
        }
        if (wanted instanceof Number w && actual instanceof Number a) {
            return Math.abs(w.doubleValue() - a.doubleValue()) <= tolerance(expose, w.doubleValue());
        }
        if (wanted instanceof String w && actual instanceof String a) {
            return w.equalsIgnoreCase(a);
        }
        if (wanted instanceof JsonObject w && actual instanceof JsonObject a) {
            for (Map.Entry<String, Object> part : w) {
                if (a.containsKey(part.getKey()) && !matches(feature(expose, part.getKey()), part.getValue(),
                        a.getValue(part.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (wanted instanceof JsonObject) {
            return actual != null;
        }
        return wanted == null ? actual == null : wanted.equals(actual);
    }

    private static JsonObject feature(JsonObject composite, String property) {
        if (composite == null) {
            return null;
        }
        for (Object f : composite.getJsonArray("features", new JsonArray())) {
            if (f instanceof JsonObject feature && property.equals(Exposes.property(feature))) {
                return feature;
            }
        }
        return null;
    }

    private static double tolerance(JsonObject expose, double wanted) {
        if (expose != null && expose.getValue("value_min") instanceof Number min
                && expose.getValue("value_max") instanceof Number max) {
            return Math.max((max.doubleValue() - min.doubleValue()) * 0.01, 1e-9);
        }
        return Math.max(Math.abs(wanted) * 0.02, 0.01);
    }
}
