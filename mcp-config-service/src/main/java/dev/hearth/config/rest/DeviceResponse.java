package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.Device;
import java.util.List;

/** A device as the admin API shows it: the shape a PUT takes, plus read-only times (RFC 3339 UTC). */
public record DeviceResponse(
        String id,
        @JsonProperty("friendly_name") String friendlyName,
        List<String> aliases,
        String room,
        @JsonProperty("risk_class") String riskClass,
        String source,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static DeviceResponse of(Device device) {
        return new DeviceResponse(device.id(), device.friendlyName(), device.aliases(), device.room(),
                device.riskClass(), device.source(), ApiKeyResponse.time(device.createdAt()),
                ApiKeyResponse.time(device.updatedAt()));
    }
}
