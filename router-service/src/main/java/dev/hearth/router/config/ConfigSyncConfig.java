package dev.hearth.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the router follows mcp-config-service's config changes (see {@link ConfigFollower}). */
@ConfigMapping(prefix = "hearth.config-sync")
public interface ConfigSyncConfig {

    /**
     * How often the config version is compared with mcp-config-service's; a difference (a change
     * event lost while Redis was away) drops every cache. Also bounds how stale a cache can get.
     */
    @WithDefault("30s")
    Duration checkInterval();
}
