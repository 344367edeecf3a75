package dev.hearth.config.mcp;

import dev.hearth.proto.v1.CommandOutcome;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * {@code device_state} and {@code device_control}: the home's Zigbee devices through
 * zigbee-service. Every failure (an unknown device, zigbee-service down, a refused command) is an
 * {@code isError} result with a stable code; the MCP session is unaffected.
 */
@ApplicationScoped
public class HomeTools {

    private final ZigbeeDevices devices;

    public HomeTools(ZigbeeDevices devices) {
        this.devices = devices;
    }

    @Tool(name = "device_state", description = "The state of one home device (on/off, brightness, temperature..."
            + " and what it supports), or of every device when `device` is omitted.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    public Uni<ToolResponse> deviceState(
            @ToolArg(description = "the device's name or IEEE address; omit to list every device", required = false)
            String device) {
        if (device == null || device.isBlank()) {
            return devices.list()
                    .map(all -> ToolResults.success(DeviceView.list(all)))
                    .onFailure().recoverWithItem(failure -> DeviceView.failure(failure, ""));
        }
        return devices.get(device)
                .map(found -> ToolResults.success(DeviceView.json(found, true)))
                .onFailure().recoverWithItem(failure -> DeviceView.failure(failure, device));
    }

    @Tool(name = "device_control", description = "Changes a home device's state, e.g. {\"state\":\"ON\","
            + "\"brightness\":128} for a light, and reports whether the device confirmed it. Risky devices"
            + " (locks, heating...) need `confirmed`: true once the user agreed.",
            annotations = @Tool.Annotations(readOnlyHint = false, destructiveHint = false, idempotentHint = true,
                    openWorldHint = false))
    public Uni<ToolResponse> deviceControl(
            @ToolArg(description = "the device's name or IEEE address") String device,
            @ToolArg(description = "the new state as Zigbee2MQTT expects it, e.g. {\"state\":\"OFF\"}")
            Map<String, Object> state,
            @ToolArg(description = "true once the user confirmed a risky command", required = false) Boolean confirmed) {
        if (device == null || device.isBlank()) {
            return Uni.createFrom().item(ToolResults.error(ToolResults.INVALID_ARGUMENTS, "`device` is required"));
        }
        if (state == null || state.isEmpty()) {
            return Uni.createFrom().item(ToolResults.error(ToolResults.INVALID_ARGUMENTS,
                    "`state` must be a non-empty object such as {\"state\":\"ON\"}"));
        }
        return devices.set(device, new JsonObject(state), Boolean.TRUE.equals(confirmed))
                .map(result -> result.getOutcome() == CommandOutcome.COMMAND_OUTCOME_TIMEOUT
                        ? ToolResults.error(ToolResults.NOT_CONFIRMED, "the command was sent to '" + device
                                + "' but the device did not confirm it in time; check with device_state")
                        : ToolResults.success(DeviceView.command(device, result)))
                .onFailure().recoverWithItem(failure -> DeviceView.failure(failure, device));
    }
}
