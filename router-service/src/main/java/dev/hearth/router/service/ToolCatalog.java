package dev.hearth.router.service;

import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ToolSpec;
import dev.hearth.router.client.ToolClient;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The tools a profile allows, as mcp-config-service lists them. Kept briefly per profile and config
 * version ({@code quarkus.cache.caffeine."tool-catalog".*}), so a config change is seen at once
 * and tools discovered without one (MCP servers) within the expiry. A failed listing is not kept.
 */
@ApplicationScoped
public class ToolCatalog {

    private static final Logger LOG = Logger.getLogger(ToolCatalog.class);

    private final ToolClient tools;

    public ToolCatalog(ToolClient tools) {
        this.tools = tools;
    }

    /** The profile's tools; none without a call when it allows none. */
    public Uni<ToolSet> forProfile(Profile profile) {
        if (profile.getAllowedToolsCount() == 0) {
            return Uni.createFrom().item(ToolSet.NONE);
        }
        return list(profile.getName(), profile.getVersion());
    }

    @CacheResult(cacheName = "tool-catalog")
    Uni<ToolSet> list(String profile, long configVersion) {
        return tools.list(profile).map(response -> {
            List<ToolArguments> usable = new ArrayList<>(response.getToolsCount());
            for (ToolSpec spec : response.getToolsList()) {
                try {
                    usable.add(ToolArguments.of(spec));
                } catch (IllegalArgumentException e) {
                    LOG.warnf("%s; the model is not offered it", e.getMessage());
                }
            }
            return new ToolSet(usable);
        });
    }
}
