package dev.hearth.config.grpc;

import dev.hearth.config.repository.ConfigVersionRepository;
import dev.hearth.config.repository.ProfileRepository;
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

/** Profiles and the config version for the other services. */
@GrpcService
public class ConfigGrpcService extends MutinyConfigServiceGrpc.ConfigServiceImplBase {

    private final ProfileRepository profiles;
    private final ConfigVersionRepository versions;

    public ConfigGrpcService(ProfileRepository profiles, ConfigVersionRepository versions) {
        this.profiles = profiles;
        this.versions = versions;
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
}
