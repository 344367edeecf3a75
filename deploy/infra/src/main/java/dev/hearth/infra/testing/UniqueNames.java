package dev.hearth.infra.testing;

import java.util.UUID;

/** Names that no other test run on the shared servers will pick: lower-case hex, identifier-safe. */
public final class UniqueNames {

    private UniqueNames() {
    }

    public static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String database() {
        return "hearth_t_" + suffix();
    }

    public static String redisPrefix() {
        return "hearth-t-" + suffix() + ":";
    }

    public static String zigbeeBaseTopic() {
        return "hearth-t-" + suffix() + "/zigbee2mqtt";
    }
}
