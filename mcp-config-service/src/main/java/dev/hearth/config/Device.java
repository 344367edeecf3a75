package dev.hearth.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hearth's own metadata about a home device (its live state stays with the bridge that drives it).
 * The friendly name and every alias are names the device answers to; a name, whatever its case,
 * belongs to one device only.
 *
 * @param id         the Zigbee IEEE address (e.g. {@code 0x00124b0012345678}) or another stable id
 * @param riskClass  how careful the assistant must be with it: one of {@link #RISK_CLASSES}
 * @param source     where it comes from: one of {@link #SOURCES}
 * @param createdAt  null until stored
 * @param updatedAt  null until stored
 */
public record Device(String id, String friendlyName, List<String> aliases, String room, String riskClass,
        String source, Instant createdAt, Instant updatedAt) {

    /** What the devices table's CHECK allows: {@code normal} devices need no confirmation, the others may. */
    public static final List<String> RISK_CLASSES = List.of("normal", "lock", "cover", "climate", "alarm", "appliance");
    public static final String DEFAULT_RISK_CLASS = "normal";
    /** {@code zigbee}: a device zigbee-service bridges; {@code manual}: one an operator describes by hand. */
    public static final List<String> SOURCES = List.of("zigbee", "manual");
    public static final String DEFAULT_SOURCE = "zigbee";
    public static final String ID_PATTERN = "[A-Za-z0-9._:@-]{1,128}";
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_ALIASES = 32;

    public Device {
        aliases = List.copyOf(aliases);
    }

    /** The friendly name first, then the aliases: every name the device answers to. */
    public List<String> names() {
        List<String> names = new ArrayList<>(aliases.size() + 1);
        names.add(friendlyName);
        names.addAll(aliases);
        return names;
    }

    /**
     * A name as it is stored and looked up: trimmed, runs of white space made one space, so
     * "kitchen  light " and "kitchen light" are the same name. Case is kept (lookups ignore it).
     */
    public static String normalizeName(String name) {
        return name.strip().replaceAll("\\s+", " ");
    }
}
