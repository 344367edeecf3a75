package dev.hearth.zigbee.expose;

import io.vertx.core.json.JsonArray;
import java.util.Locale;
import java.util.Set;

/**
 * What a wrong command to a device could cost: a lock opened, a cover moved onto someone, the heating
 * left on, a siren at night. Derived from the exposes, since Zigbee2MQTT has no such field.
 */
public enum RiskClass {
    NORMAL, LOCK, COVER, CLIMATE, ALARM;

    private static final Set<String> WARNING_NAMES = Set.of("warning", "squawk");

    public static RiskClass of(JsonArray exposes) {
        if (exposes == null) {
            return NORMAL;
        }
        if (Exposes.hasType(exposes, "lock")) {
            return LOCK;
        }
        if (Exposes.hasName(exposes, WARNING_NAMES)) {
            return ALARM;
        }
        if (Exposes.hasType(exposes, "cover")) {
            return COVER;
        }
        if (Exposes.hasType(exposes, "climate")) {
            return CLIMATE;
        }
        return NORMAL;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
