package dev.hearth.zigbee.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The MQTT broker Zigbee2MQTT talks to ({@code HEARTH_MQTT_*} in the environment). */
@ConfigMapping(prefix = "hearth.mqtt")
public interface MqttConfig {

    @WithDefault("localhost")
    String host();

    @WithDefault("1883")
    int port();

    Optional<String> username();

    Optional<String> password();

    /** Default: {@code hearth-zigbee-} and a random suffix, so two replicas never take over each other's session. */
    Optional<String> clientId();

    @WithDefault("30s")
    Duration keepAlive();

    /** First wait before reconnecting; doubles (with jitter) up to {@link #reconnectMaxBackoff()}. */
    @WithDefault("500ms")
    Duration reconnectInitialBackoff();

    @WithDefault("30s")
    Duration reconnectMaxBackoff();

    @WithDefault("10s")
    Duration connectTimeout();

    /** Zigbee2MQTT's {@code bridge/devices} of a large home is hundreds of KB. */
    @WithDefault("8388608")
    int maxMessageBytes();
}
