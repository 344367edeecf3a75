package dev.hearth.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Spoken turns ({@code Router.Voice}). */
@ConfigMapping(prefix = "hearth.router.voice")
public interface VoiceConfig {

    /** A voice call ends (error {@code timeout}) after this long, whatever it is doing. */
    @WithDefault("30m")
    Duration maxCallDuration();

    /**
     * Caller audio the router holds while stt-service is not ready for more (HTTP/2 flow control)
     * or not connected yet; beyond it the call ends with {@code speech_unavailable}.
     */
    @WithDefault("1048576")
    int maxPendingAudioBytes();

    /**
     * The speech_started event of a VAD comes this late at most after the speech really began; the
     * router subtracts the measured delay (audio received minus the event's position) up to this
     * bound when it works out what the user had heard of an answer they interrupted.
     */
    @WithDefault("1s")
    Duration maxVadDelay();

    /** Deadline of one synthesis call to tts-service (one answer). */
    @WithDefault("5m")
    Duration ttsCallTimeout();
}
