package dev.hearth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "hearth.gateway")
public interface GatewayConfig {

    /** Largest client message answered normally; larger ones get {@code message_too_large}. */
    @WithDefault("65536")
    int maxMessageSize();

    /** Longest chat text, in characters. */
    @WithDefault("32000")
    int maxTextLength();

    /** Streams one connection may run at once; more get {@code too_many_streams}. */
    @WithDefault("16")
    int maxStreamsPerConnection();

    /** Messages queued for one client before it counts as a slow consumer and is closed (1013). */
    @WithDefault("4096")
    int sendBufferMessages();

    /** The whole of one router call (a gRPC deadline). */
    @WithDefault("15m")
    Duration routerDeadline();
}
