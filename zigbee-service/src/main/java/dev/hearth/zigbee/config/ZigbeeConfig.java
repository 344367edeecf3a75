package dev.hearth.zigbee.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Zigbee2MQTT's topics and how long commands wait for the devices ({@code HEARTH_ZIGBEE_*}). */
@ConfigMapping(prefix = "hearth.zigbee")
public interface ZigbeeConfig {

    @WithDefault("zigbee2mqtt")
    String baseTopic();

    /** How long a command waits for confirmation when the caller sets no {@code timeout_ms}. */
    @WithDefault("5s")
    Duration confirmTimeout();

    /** The most a caller's {@code timeout_ms} may ask for. */
    @WithDefault("60s")
    Duration maxConfirmTimeout();

    /**
     * How long a command waits for the device's own report before asking it with {@code <device>/get}
     * (capped at half the command's timeout).
     */
    @WithDefault("2s")
    Duration reportWait();

    /** How long a {@code bridge/request/*} waits for its {@code bridge/response/*}. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Device classes whose commands need the user's confirmation. */
    @WithDefault("lock,cover,climate,alarm")
    List<String> confirmClasses();

    /** Events a WatchEvents watcher may have queued before it is failed with RESOURCE_EXHAUSTED. */
    @WithDefault("1024")
    int watchBuffer();

    /** How often rooms are read from mcp-config-service's device list; 0 turns that off. */
    @WithDefault("60s")
    Duration roomsRefresh();

    /** States kept for names not (yet) in {@code bridge/devices}: retained topics arrive in any order. */
    @WithDefault("256")
    int orphanStates();
}
