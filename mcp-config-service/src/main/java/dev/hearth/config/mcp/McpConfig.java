package dev.hearth.config.mcp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The MCP server at {@code /mcp}: who may call it from a browser, and how long the home may take. */
@ConfigMapping(prefix = "hearth.mcp")
public interface McpConfig {

    /** Where the MCP endpoint is; the filter guarding it reads the extension's own setting. */
    @WithDefault("${quarkus.mcp.server.http.root-path:/mcp}")
    String path();

    /**
     * Browser origins allowed to call {@code /mcp} (a request without {@code Origin} is not from a
     * browser and needs no entry). {@code scheme://host:*} allows any port of that host.
     */
    @WithDefault("http://localhost:*,https://localhost:*,http://127.0.0.1:*,https://127.0.0.1:*,http://[::1]:*,https://[::1]:*")
    List<String> allowedOrigins();

    Zigbee zigbee();

    interface Zigbee {

        /** Deadline of a read (list or get devices) from zigbee-service. */
        @WithDefault("3s")
        Duration readTimeout();

        /** How long zigbee-service waits for the bridge to confirm a new state (sent as timeout_ms). */
        @WithDefault("5s")
        Duration confirmTimeout();

        /** How often zigbee-service's device tools are listed again (new, renamed or removed devices). */
        @WithDefault("15s")
        Duration toolsRefreshInterval();

        /** Deadline of a device tool's call (zigbee-service waits for the device's confirmation within it). */
        @WithDefault("15s")
        Duration toolCallTimeout();
    }
}
