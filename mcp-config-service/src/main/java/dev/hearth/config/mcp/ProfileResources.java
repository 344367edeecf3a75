package dev.hearth.config.mcp;

import dev.hearth.config.repository.ProfileRepository;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Profiles as MCP resources: {@code hearth://profiles} (all) and {@code hearth://profiles/{name}}. */
@ApplicationScoped
public class ProfileResources {

    private final ProfileRepository profiles;

    public ProfileResources(ProfileRepository profiles) {
        this.profiles = profiles;
    }

    @Resource(uri = "hearth://profiles", name = "profiles", mimeType = ProfileView.MIME_TYPE,
            description = "Every assistant profile: chain of providers and models, allowed tools.")
    public Uni<TextResourceContents> all(RequestUri uri) {
        return profiles.listDefinitions()
                .map(all -> new TextResourceContents(uri.value(), ProfileView.list(all).encode(), ProfileView.MIME_TYPE));
    }

    @ResourceTemplate(uriTemplate = "hearth://profiles/{name}", name = "profile", mimeType = ProfileView.MIME_TYPE,
            description = "One assistant profile by name.")
    public Uni<TextResourceContents> one(String name, RequestUri uri) {
        return profiles.findDefinition(ResourceNames.decode(name)).map(found -> found
                .map(p -> new TextResourceContents(uri.value(), ProfileView.json(p).encode(), ProfileView.MIME_TYPE))
                .orElseThrow(() -> new McpException("no profile named '" + ResourceNames.decode(name) + "'",
                        JsonRpcErrorCodes.RESOURCE_NOT_FOUND)));
    }
}
