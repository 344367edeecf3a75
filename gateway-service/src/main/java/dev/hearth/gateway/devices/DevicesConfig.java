package dev.hearth.gateway.devices;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the gateway follows zigbee-service's device events for {@code devices.watch}. */
@ConfigMapping(prefix = "hearth.gateway.devices")
public interface DevicesConfig {

    /** The first wait before watching zigbee-service again after its stream failed; doubled per failure. */
    @WithDefault("1s")
    Duration reconnectInitialBackoff();

    /** The longest wait between attempts. */
    @WithDefault("30s")
    Duration reconnectMaxBackoff();

    /** How long the device list (the snapshot a watch starts with) may take. */
    @WithDefault("5s")
    Duration snapshotTimeout();

    /** Events held for a watcher while its snapshot is read; beyond that the watch restarts its snapshot. */
    @WithDefault("1024")
    int pendingEvents();
}
