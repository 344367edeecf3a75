package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.Device;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/v1/devices} and {@code PUT /admin/v1/devices/{id}}:
 * {@code {id, friendly_name, aliases?, room?, risk_class?, source?}}. Names are stored trimmed with
 * single spaces. Whether another device answers to a name is the repository's check, in the
 * writing transaction. {@code created_at} and {@code updated_at} are read-only: accepted and ignored.
 */
public record DeviceRequest(
        String id,
        @JsonProperty("friendly_name") String friendlyName,
        List<String> aliases,
        String room,
        @JsonProperty("risk_class") String riskClass,
        String source,
        @JsonProperty("created_at") Object createdAt,
        @JsonProperty("updated_at") Object updatedAt,
        @JsonAnySetter Map<String, Object> unknownFields) {

    static final Pattern ID = Pattern.compile(Device.ID_PATTERN);

    /**
     * The validated device, or a 400 {@code invalid_request} naming every problem at once.
     *
     * @param pathId the id in the path of a PUT (the body may omit it); null for a POST
     */
    Device validate(String pathId) {
        FieldProblems problems = new FieldProblems();
        problems.unknown("", unknownFields);
        String checkedId = pathId == null ? id : pathId;
        if (pathId == null) {
            if (id == null || id.isEmpty()) {
                problems.add("id is required: the Zigbee IEEE address (e.g. 0x00124b0012345678) or another stable id");
            } else if (!ID.matcher(id).matches()) {
                problems.add("id must be 1 to 128 of A-Z a-z 0-9 . _ : @ -");
            }
        } else if (id != null && !id.equals(pathId)) {
            problems.add("id ('" + id + "') differs from the id in the path ('" + pathId
                    + "'): a device cannot change its id; create one with the new id instead");
        }
        // Every name by its lower case, to the field that named it first.
        Map<String, String> seen = new HashMap<>();
        String name = name("friendly_name", friendlyName, problems, seen);
        List<String> checkedAliases = aliases(problems, seen);
        String checkedRoom = room == null ? "" : Device.normalizeName(room);
        problems.text("room", checkedRoom, Device.MAX_NAME_LENGTH, false);
        String risk = riskClass == null ? Device.DEFAULT_RISK_CLASS : riskClass;
        if (!Device.RISK_CLASSES.contains(risk)) {
            problems.add("risk_class must be one of " + String.join(", ", Device.RISK_CLASSES));
        }
        String checkedSource = source == null ? Device.DEFAULT_SOURCE : source;
        if (!Device.SOURCES.contains(checkedSource)) {
            problems.add("source must be one of " + String.join(", ", Device.SOURCES));
        }
        problems.throwIfAny();
        return new Device(checkedId, name, checkedAliases, checkedRoom, risk, checkedSource, null, null);
    }

    private List<String> aliases(FieldProblems problems, Map<String, String> seen) {
        if (aliases == null) {
            return List.of();
        }
        if (aliases.size() > Device.MAX_ALIASES) {
            problems.add("aliases may have at most " + Device.MAX_ALIASES + " names");
            return List.of();
        }
        List<String> checked = new ArrayList<>(aliases.size());
        for (int i = 0; i < aliases.size(); i++) {
            String alias = name("aliases[" + i + "]", aliases.get(i), problems, seen);
            if (alias != null) {
                checked.add(alias);
            }
        }
        return checked;
    }

    /** A required name, normalized; null when it is missing or repeats an earlier name of this device. */
    private static String name(String field, String value, FieldProblems problems, Map<String, String> seen) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is required");
            return null;
        }
        String normalized = Device.normalizeName(value);
        problems.text(field, normalized, Device.MAX_NAME_LENGTH, false);
        String earlier = seen.putIfAbsent(normalized.toLowerCase(Locale.ROOT), field);
        if (earlier != null) {
            problems.add(field + " ('" + normalized + "') repeats " + earlier + ": each name of a device once");
            return null;
        }
        return normalized;
    }
}
