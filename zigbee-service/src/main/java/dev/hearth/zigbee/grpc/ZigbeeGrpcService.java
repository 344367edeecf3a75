package dev.hearth.zigbee.grpc;

import dev.hearth.proto.v1.CommandOutcome;
import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.GetDeviceRequest;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.ListDevicesResponse;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.PermitJoinRequest;
import dev.hearth.proto.v1.RenameDeviceRequest;
import dev.hearth.proto.v1.SetStateRequest;
import dev.hearth.proto.v1.WatchEventsRequest;
import dev.hearth.zigbee.ZigbeeDevice;
import dev.hearth.zigbee.client.HomeDirectory;
import dev.hearth.zigbee.expose.InvalidStateException;
import dev.hearth.zigbee.service.CommandReport;
import dev.hearth.zigbee.service.DeviceCommands;
import dev.hearth.zigbee.service.DeviceEvents;
import dev.hearth.zigbee.service.DeviceRegistry;
import dev.hearth.zigbee.service.DeviceTools;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The Zigbee contract over the registry, the confirmed commands and the event broadcast. */
@GrpcService
public class ZigbeeGrpcService extends MutinyZigbeeGrpc.ZigbeeImplBase {

    private final DeviceRegistry registry;
    private final DeviceCommands commands;
    private final DeviceEvents events;
    private final DeviceTools tools;
    private final HomeDirectory directory;

    public ZigbeeGrpcService(DeviceRegistry registry, DeviceCommands commands, DeviceEvents events,
            DeviceTools tools, HomeDirectory directory) {
        this.registry = registry;
        this.commands = commands;
        this.events = events;
        this.tools = tools;
        this.directory = directory;
    }

    @Override
    public Uni<ListDevicesResponse> listDevices(ListDevicesRequest request) {
        return Uni.createFrom().item(() -> ListDevicesResponse.newBuilder()
                .addAllDevices(registry.devices().stream().map(this::toProto).toList()).build());
    }

    @Override
    public Uni<Device> getDevice(GetDeviceRequest request) {
        return Uni.createFrom().item(() -> toProto(commands.device(request.getDevice())))
                .onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<CommandResult> setState(SetStateRequest request) {
        return Uni.createFrom().deferred(() -> {
            JsonObject state;
            try {
                state = new JsonObject(request.getStateJson());
            } catch (DecodeException | ClassCastException e) {
                throw new InvalidStateException(InvalidStateException.INVALID_ARGUMENTS,
                        "state_json must be a JSON object, e.g. {\"state\":\"ON\"}");
            }
            return commands.setState(request.getDevice(), state, request.getConfirmed(),
                    Duration.ofMillis(Math.max(0, request.getTimeoutMs())));
        }).map(ZigbeeGrpcService::toProto).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<CommandResult> permitJoin(PermitJoinRequest request) {
        return commands.permitJoin(request.getSeconds(), request.getDevice())
                .map(data -> CommandResult.newBuilder().setOutcome(CommandOutcome.COMMAND_OUTCOME_CONFIRMED)
                        .setStateJson(data.encode())
                        .setMessage(request.getSeconds() > 0 ? "joining permitted for " + request.getSeconds() + " s"
                                : "joining closed")
                        .build())
                .onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<CommandResult> renameDevice(RenameDeviceRequest request) {
        return commands.rename(request.getDevice(), request.getNewName())
                .map(data -> CommandResult.newBuilder().setOutcome(CommandOutcome.COMMAND_OUTCOME_CONFIRMED)
                        .setStateJson(data.encode()).setMessage("renamed to '" + request.getNewName().strip() + "'")
                        .build())
                .onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Multi<DeviceEvent> watchEvents(WatchEventsRequest request) {
        return events.watch();
    }

    private Device toProto(ZigbeeDevice device) {
        Device.Builder builder = Device.newBuilder()
                .setIeeeAddress(device.ieeeAddress())
                .setFriendlyName(device.friendlyName())
                .setType(device.type())
                .setModel(device.model())
                .setVendor(device.vendor())
                .setAvailable(!Boolean.FALSE.equals(device.available()))
                .setExposesJson(device.exposes().encode())
                .setStateJson(device.state().encode())
                .setRiskClass(commands.riskClass(device));
        tools.toolName(device).ifPresent(builder::setToolName);
        directory.room(device.ieeeAddress()).ifPresent(builder::setRoom);
        return builder.build();
    }

    private static CommandResult toProto(CommandReport report) {
        CommandOutcome outcome = switch (report.outcome()) {
            case CONFIRMED -> CommandOutcome.COMMAND_OUTCOME_CONFIRMED;
            case OPTIMISTIC_ONLY -> CommandOutcome.COMMAND_OUTCOME_OPTIMISTIC_ONLY;
            case TIMEOUT -> CommandOutcome.COMMAND_OUTCOME_TIMEOUT;
        };
        return CommandResult.newBuilder().setOutcome(outcome).setStateJson(report.state().encode())
                .setMessage(report.message()).build();
    }
}
