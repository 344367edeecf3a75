package dev.hearth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the gateway follows mcp-config-service's config changes (see ConfigChangeListener). */
@ConfigMapping(prefix = "hearth.config-sync")
public interface ConfigSyncConfig {

    /**
     * How often the config version is compared with mcp-config-service's; a difference (a change
     * event lost while Redis was away) drops every cache. Also bounds how stale a cache can get.
     */
    @WithDefault("30s")
    Duration checkInterval();

    /** Deadline of one {@code GetConfigVersion} call. */
    @WithDefault("2s")
    Duration versionTimeout();
}
