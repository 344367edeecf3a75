package dev.hearth.config.mcp;

import io.grpc.Status;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Devices as MCP resources: {@code hearth://devices} (all) and {@code hearth://devices/{name}}. */
@ApplicationScoped
public class DeviceResources {

    private final ZigbeeDevices devices;

    public DeviceResources(ZigbeeDevices devices) {
        this.devices = devices;
    }

    @Resource(uri = "hearth://devices", name = "devices", mimeType = DeviceView.MIME_TYPE,
            description = "Every home device with its last reported state.")
    public Uni<TextResourceContents> all(RequestUri uri) {
        return devices.list()
                .map(all -> new TextResourceContents(uri.value(), DeviceView.list(all).encode(), DeviceView.MIME_TYPE))
                .onFailure().transform(failure -> unreadable(failure, null));
    }

    @ResourceTemplate(uriTemplate = "hearth://devices/{name}", name = "device", mimeType = DeviceView.MIME_TYPE,
            description = "One home device by name: state and what it supports.")
    public Uni<TextResourceContents> one(String name, RequestUri uri) {
        String device = ResourceNames.decode(name);
        return devices.get(device)
                .map(found -> new TextResourceContents(uri.value(), DeviceView.json(found, true).encode(),
                        DeviceView.MIME_TYPE))
                .onFailure().transform(failure -> unreadable(failure, device));
    }

    private static McpException unreadable(Throwable failure, String device) {
        Status status = Status.fromThrowable(failure);
        if (status.getCode() == Status.Code.NOT_FOUND && device != null) {
            return new McpException("no device named '" + device + "'", JsonRpcErrorCodes.RESOURCE_NOT_FOUND);
        }
        return new McpException("the home's devices cannot be reached right now (zigbee-service: "
                + status.getCode() + ")", JsonRpcErrorCodes.INTERNAL_ERROR);
    }
}
