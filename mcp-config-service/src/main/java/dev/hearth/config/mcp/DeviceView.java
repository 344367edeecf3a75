package dev.hearth.config.mcp;

import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.Device;
import io.grpc.Status;
import io.quarkiverse.mcp.server.ToolResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** Devices and command results as the home tools and resources show them, and zigbee failures as tool errors. */
final class DeviceView {

    static final String MIME_TYPE = "application/json";

    private DeviceView() {
    }

    static String uri(String name) {
        return "hearth://devices/" + ResourceNames.encode(name);
    }

    /** {@code detailed}: with what the device exposes (its features), which lists leave out for brevity. */
    static JsonObject json(Device device, boolean detailed) {
        JsonObject json = new JsonObject()
                .put("name", device.getFriendlyName())
                .put("uri", uri(device.getFriendlyName()))
                .put("ieee_address", device.getIeeeAddress())
                .put("type", device.getType())
                .put("model", device.getModel())
                .put("vendor", device.getVendor())
                .put("room", device.getRoom())
                .put("available", device.getAvailable())
                .put("state", parsed(device.getStateJson()));
        if (detailed) {
            json.put("exposes", parsed(device.getExposesJson()));
        }
        return json;
    }

    static JsonObject list(List<Device> devices) {
        JsonArray all = new JsonArray();
        devices.forEach(d -> all.add(json(d, false)));
        return new JsonObject().put("count", devices.size()).put("devices", all);
    }

    static JsonObject command(String device, CommandResult result) {
        return new JsonObject()
                .put("device", device)
                .put("outcome", outcome(result.getOutcome()))
                .put("state", parsed(result.getStateJson()))
                .put("message", result.getMessage());
    }

    static String outcome(CommandOutcome outcome) {
        return switch (outcome) {
            case COMMAND_OUTCOME_CONFIRMED -> "confirmed";
            case COMMAND_OUTCOME_OPTIMISTIC_ONLY -> "optimistic_only";
            case COMMAND_OUTCOME_TIMEOUT -> "timeout";
            default -> "unknown";
        };
    }

    /** A JSON text from zigbee-service as JSON; absent is null, and anything unparsable stays text. */
    private static Object parsed(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return Json.decodeValue(json);
        } catch (DecodeException e) {
            return json;
        }
    }

    /** A failed call to zigbee-service as an isError result the model can act on. */
    static ToolResponse failure(Throwable failure, String device) {
        Status status = Status.fromThrowable(failure);
        String why = status.getDescription() == null ? status.getCode().name().toLowerCase(Locale.ROOT)
                : status.getDescription();
        return switch (status.getCode()) {
            case NOT_FOUND -> ToolResults.error(ToolResults.UNKNOWN_DEVICE,
                    "no device named '" + device + "' (device_state without a device lists them)");
            case INVALID_ARGUMENT -> ToolResults.error(ToolResults.INVALID_ARGUMENTS, why);
            case FAILED_PRECONDITION -> ToolResults.error(ToolResults.COMMAND_REFUSED, why);
            case UNAVAILABLE, DEADLINE_EXCEEDED, UNIMPLEMENTED -> ToolResults.error(ToolResults.ZIGBEE_UNAVAILABLE,
                    "the home's devices cannot be reached right now (zigbee-service: " + why + "); try again later");
            default -> ToolResults.error(ToolResults.TOOL_FAILED, "zigbee-service failed: " + why);
        };
    }
}
