package dev.hearth.zigbee;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One device as Zigbee2MQTT describes it in {@code bridge/devices}, with its last reported state and
 * availability. Immutable: the registry swaps whole values, so readers never see half an update.
 *
 * @param available {@code null} while Zigbee2MQTT has said nothing (availability off in its config)
 */
public record ZigbeeDevice(String ieeeAddress, String friendlyName, String type, String vendor, String model,
        String description, boolean interviewCompleted, JsonArray exposes, JsonObject state, Boolean available) {

    public ZigbeeDevice {
        exposes = exposes == null ? new JsonArray() : exposes;
        state = state == null ? new JsonObject() : state;
    }

    public ZigbeeDevice withState(JsonObject newState) {
        return new ZigbeeDevice(ieeeAddress, friendlyName, type, vendor, model, description, interviewCompleted, exposes,
                newState, available);
    }

    public ZigbeeDevice withAvailable(Boolean newAvailable) {
        return new ZigbeeDevice(ieeeAddress, friendlyName, type, vendor, model, description, interviewCompleted, exposes,
                state, newAvailable);
    }

    public ZigbeeDevice withFriendlyName(String newName) {
        return new ZigbeeDevice(ieeeAddress, newName, type, vendor, model, description, interviewCompleted, exposes,
                state, available);
    }

    public boolean isCoordinator() {
        return "Coordinator".equalsIgnoreCase(type);
    }
}
