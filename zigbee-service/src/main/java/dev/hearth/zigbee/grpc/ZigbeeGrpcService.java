package dev.hearth.zigbee.grpc;

import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.DeviceEvent;
import dev.hearth.proto.v1.GetDeviceRequest;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.ListDevicesResponse;
import dev.hearth.proto.v1.MutinyZigbeeGrpc;
import dev.hearth.proto.v1.PermitJoinRequest;
import dev.hearth.proto.v1.SetStateRequest;
import dev.hearth.proto.v1.WatchEventsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The Zigbee contract; the device registry is not built yet, so every call says so. */
@GrpcService
public class ZigbeeGrpcService extends MutinyZigbeeGrpc.ZigbeeImplBase {

    @Override
    public Uni<ListDevicesResponse> listDevices(ListDevicesRequest request) {
        return Uni.createFrom().failure(notYet());
    }

    @Override
    public Uni<Device> getDevice(GetDeviceRequest request) {
        return Uni.createFrom().failure(notYet());
    }

    @Override
    public Uni<CommandResult> setState(SetStateRequest request) {
        return Uni.createFrom().failure(notYet());
    }

    @Override
    public Uni<CommandResult> permitJoin(PermitJoinRequest request) {
        return Uni.createFrom().failure(notYet());
    }

    @Override
    public Multi<DeviceEvent> watchEvents(WatchEventsRequest request) {
        return Multi.createFrom().failure(notYet());
    }

    private static StatusRuntimeException notYet() {
        return Status.UNIMPLEMENTED
                .withDescription("Zigbee devices are not available yet: the device registry is not built in this build")
                .asRuntimeException();
    }
}
