package dev.hearth.wyoming;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The settings every Wyoming server of the suite has; each service's {@code @ConfigMapping} for its
 * server ({@code hearth.tts.wyoming-server}, {@code hearth.stt.wyoming-server}) extends this and adds
 * its {@code port} and what is its own.
 */
public interface WyomingServerConfig {

    @WithDefault("true")
    boolean enabled();

    @WithDefault("0.0.0.0")
    String host();

    /** A frame started but not completed within this time is truncated: error, then close. */
    @WithDefault("10s")
    Duration frameTimeout();

    @WithDefault("65536")
    int maxHeaderBytes();

    /** Largest data section or payload of one frame. */
    @WithDefault("1048576")
    int maxDataBytes();
}
