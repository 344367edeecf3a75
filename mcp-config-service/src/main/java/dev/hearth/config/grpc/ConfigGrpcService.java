package dev.hearth.config.grpc;

import dev.hearth.config.Device;
import dev.hearth.config.repository.ConfigVersionRepository;
import dev.hearth.config.repository.ProfileRepository;
import dev.hearth.config.service.DeviceService;
import dev.hearth.proto.v1.FindHomeDeviceRequest;
import dev.hearth.proto.v1.HomeDevice;
import dev.hearth.proto.v1.ListHomeDevicesRequest;
import dev.hearth.proto.v1.ListHomeDevicesResponse;
import dev.hearth.proto.v1.ConfigVersion;
import dev.hearth.proto.v1.GetConfigVersionRequest;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.ListProfilesRequest;
import dev.hearth.proto.v1.ListProfilesResponse;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.Profile;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** Profiles, home devices and the config version for the other services. */
@GrpcService
public class ConfigGrpcService extends MutinyConfigServiceGrpc.ConfigServiceImplBase {

    private final ProfileRepository profiles;
    private final ConfigVersionRepository versions;
    private final DeviceService devices;

    public ConfigGrpcService(ProfileRepository profiles, ConfigVersionRepository versions, DeviceService devices) {
        this.profiles = profiles;
        this.versions = versions;
        this.devices = devices;
    }

    @Override
    public Uni<Profile> getProfile(GetProfileRequest request) {
        return profiles.find(request.getName()).map(found -> found.orElseThrow(() -> Status.NOT_FOUND
                .withDescription(request.getName().isBlank()
                        ? "no default profile is configured"
                        : "no profile named '" + request.getName() + "'")
                .asRuntimeException()));
    }

    @Override
    public Uni<ListProfilesResponse> listProfiles(ListProfilesRequest request) {
        return profiles.listAll().map(all -> ListProfilesResponse.newBuilder()
                .addAllProfiles(all)
                .setVersion(all.isEmpty() ? 0 : all.get(0).getVersion())
                .build());
    }

    @Override
    public Uni<ConfigVersion> getConfigVersion(GetConfigVersionRequest request) {
        return versions.current().map(v -> ConfigVersion.newBuilder().setVersion(v).build());
    }

    @Override
    public Uni<ListHomeDevicesResponse> listHomeDevices(ListHomeDevicesRequest request) {
        // The version first: a list read after it is at least that new, so a cache keyed by it never misses a write.
        return versions.current().chain(version -> devices.list().map(all -> ListHomeDevicesResponse.newBuilder()
                .addAllDevices(all.stream().map(ConfigGrpcService::toProto).toList())
                .setVersion(version)
                .build()));
    }

    @Override
    public Uni<HomeDevice> findHomeDevice(FindHomeDeviceRequest request) {
        if (request.getName().isBlank()) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("name is required").asRuntimeException());
        }
        return devices.findByName(request.getName()).map(found -> found.map(ConfigGrpcService::toProto)
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("no device is named '" + request.getName() + "'")
                        .asRuntimeException()));
    }

    private static HomeDevice toProto(Device device) {
        return HomeDevice.newBuilder()
                .setId(device.id())
                .setFriendlyName(device.friendlyName())
                .addAllAliases(device.aliases())
                .setRoom(device.room() == null ? "" : device.room())
                .setRiskClass(device.riskClass())
                .setSource(device.source())
                .build();
    }
}
