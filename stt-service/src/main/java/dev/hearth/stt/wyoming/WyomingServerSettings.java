package dev.hearth.stt.wyoming;

import dev.hearth.wyoming.WyomingServerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * {@code hearth.stt.wyoming-server.*}: the Wyoming ASR server Home Assistant connects to; enabled,
 * host, frame timeout and frame limits as every Wyoming server of the suite ({@link WyomingServerConfig}).
 */
@ConfigMapping(prefix = "hearth.stt.wyoming-server")
public interface WyomingServerSettings extends WyomingServerConfig {

    /** 10300, as wyoming-faster-whisper; 0 picks a free port (tests). */
    @WithDefault("10300")
    int port();

    /** Longest utterance one transcribe may carry; more audio is refused with {@code audio-too-long}. */
    @WithDefault("300s")
    Duration maxAudio();

    /** Languages announced in {@code info} (Home Assistant offers these in its pipeline settings). */
    @WithDefault("en")
    List<String> languages();

    /**
     * Answer with the streaming events of Wyoming 1.7 ({@code transcript-start}, {@code
     * transcript-chunk}, {@code transcript-stop}) around the final {@code transcript}; clients
     * that predate them skip unknown events, so this is on by default.
     */
    @WithDefault("true")
    boolean streamTranscripts();
}
