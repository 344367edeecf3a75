package dev.hearth.config.mcp;

import dev.hearth.config.repository.ProfileRepository;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code list_profiles} and {@code get_profile}: which assistants this home has and what they may do. */
@ApplicationScoped
public class ProfileTools {

    private final ProfileRepository profiles;

    public ProfileTools(ProfileRepository profiles) {
        this.profiles = profiles;
    }

    @Tool(name = "list_profiles", description = "Lists the assistant profiles: description, whether it is the default,"
            + " its chain of providers and models (tried in order) and the tools it may use.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    public Uni<ToolResponse> listProfiles() {
        return profiles.listDefinitions().map(all -> ToolResults.success(ProfileView.list(all)));
    }

    @Tool(name = "get_profile", description = "One assistant profile by name: description, chain of providers and"
            + " models, allowed tools and generation parameters.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false))
    public Uni<ToolResponse> getProfile(@ToolArg(description = "the profile's name, e.g. default") String name) {
        if (name == null || name.isBlank()) {
            return Uni.createFrom().item(ToolResults.error(ToolResults.INVALID_ARGUMENTS, "`name` is required"));
        }
        return profiles.findDefinition(name).map(found -> found
                .map(profile -> ToolResults.success(ProfileView.json(profile)))
                .orElseGet(() -> ToolResults.error(ToolResults.NOT_FOUND,
                        "no profile named '" + name + "' (list_profiles lists them)")));
    }
}
