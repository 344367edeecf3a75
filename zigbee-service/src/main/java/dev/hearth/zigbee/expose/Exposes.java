package dev.hearth.zigbee.expose;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads Zigbee2MQTT's {@code definition.exposes}: the specific types ({@code light}, {@code switch},
 * {@code fan}, {@code cover}, {@code lock}, {@code climate}) only group their {@code features}, so a device's
 * properties are those features flattened by {@code property} (endpoint suffixes such as {@code state_l1} kept),
 * plus the generic exposes; a composite with a property ({@code color_xy}, {@code color_hs}) stays one nested
 * property, and two composites on one property (both colors are {@code color}) are merged.
 */
public final class Exposes {

    /** {@code access} bits: the property is published in the state, can be set, can be read with {@code /get}. */
    public static final int PUBLISHED = 1;
    public static final int SET = 2;
    public static final int GET = 4;

    static final Set<String> SPECIFIC = Set.of("light", "switch", "fan", "cover", "lock", "climate");

    private Exposes() {
    }

    /** Every property of the device, by name, in the order Zigbee2MQTT lists them. */
    public static Map<String, JsonObject> properties(JsonArray exposes) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        if (exposes != null) {
            flatten(exposes, out);
        }
        return out;
    }

    private static void flatten(JsonArray exposes, Map<String, JsonObject> out) {
        for (Object item : exposes) {
            if (!(item instanceof JsonObject expose)) {
                continue;
            }
            String type = expose.getString("type", "");
            String property = property(expose);
            JsonArray features = expose.getValue("features") instanceof JsonArray f ? f : null;
            if (features != null && (SPECIFIC.contains(type) || property == null)) {
                flatten(features, out);
            } else if (property != null) {
                JsonObject known = out.get(property);
                out.put(property, known == null ? expose : merge(known, expose));
            }
        }
    }

    /** Two composites on one property (color_xy and color_hs): one object with both sets of features. */
    private static JsonObject merge(JsonObject first, JsonObject second) {
        if (!"composite".equals(first.getString("type")) || !"composite".equals(second.getString("type"))) {
            return first;
        }
        JsonArray features = new JsonArray();
        Set<String> seen = new java.util.HashSet<>();
        for (JsonObject composite : new JsonObject[] {first, second}) {
            for (Object f : composite.getJsonArray("features", new JsonArray())) {
                if (f instanceof JsonObject feature && property(feature) != null && seen.add(property(feature))) {
                    features.add(feature);
                }
            }
        }
        return first.copy().put("features", features).put("access", access(first) | access(second))
                .put("name", first.getString("name", "") + "+" + second.getString("name", ""));
    }

    public static String property(JsonObject expose) {
        Object property = expose.getValue("property");
        return property instanceof String s && !s.isBlank() ? s : null;
    }

    public static int access(JsonObject expose) {
        Object access = expose.getValue("access");
        // Very old definitions have no access: everything is published and settable.
        return access instanceof Number n ? n.intValue() : PUBLISHED | SET;
    }

    public static boolean writable(JsonObject expose) {
        return (access(expose) & SET) != 0;
    }

    public static boolean readable(JsonObject expose) {
        return (access(expose) & GET) != 0;
    }

    /** The top-level and nested expose types and names, for classifying the device. */
    public static boolean hasType(JsonArray exposes, String type) {
        for (Object item : exposes) {
            if (item instanceof JsonObject expose && type.equals(expose.getString("type"))) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasName(JsonArray exposes, Set<String> names) {
        for (Object item : exposes) {
            if (item instanceof JsonObject expose) {
                if (names.contains(expose.getString("name", "")) || names.contains(String.valueOf(property(expose)))) {
                    return true;
                }
                if (expose.getValue("features") instanceof JsonArray features && hasName(features, names)) {
                    return true;
                }
            }
        }
        return false;
    }
}
