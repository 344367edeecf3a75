package dev.hearth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "hearth.gateway")
public interface GatewayConfig {

    /** Largest client message answered normally; larger ones get {@code message_too_large}. */
    @WithDefault("65536")
    int maxMessageSize();

    /** The hard limit: a larger message closes the connection with 1009 (message too big). */
    @WithDefault("1048576")
    int maxFrameSize();

    /** Longest chat text, in characters. */
    @WithDefault("32000")
    int maxTextLength();

    /** Streams one connection may run at once; more get {@code too_many_streams}. */
    @WithDefault("16")
    int maxStreamsPerConnection();

    /**
     * Messages queued for one client before it counts as a slow consumer; then
     * {@link Streams#slowConsumerPolicy()} applies.
     */
    @WithDefault("4096")
    int sendBufferMessages();

    /** The whole of one router call (a gRPC deadline). */
    @WithDefault("15m")
    Duration routerDeadline();

    /** How long running streams may go on after SIGTERM before they are ended and clients told 1001. */
    @WithDefault("20s")
    Duration shutdownGrace();

    Streams streams();

    Voice voice();

    /** Voice turns ({@code voice.start}, binary audio frames, {@code voice.stop}). */
    interface Voice {

        /**
         * Audio a voice turn may send, as a multiple of real time at its announced rate (16 kHz
         * s16le mono is 32,000 bytes/s); frames beyond it are refused with {@code rate_limited}.
         */
        @WithDefault("4")
        double maxAudioRate();

        /** Audio that may arrive at once beyond the rate (a client catching up after a hiccup), in seconds of audio. */
        @WithDefault("5s")
        Duration audioBurst();

        /**
         * Audio bytes of the answer kept per stream for resume (in memory and in Redis); later audio
         * goes to live watchers only, its {@code audio} chunk saying {@code "replay": false}.
         */
        @WithDefault("4194304")
        long historyAudioBytes();
    }

    /** The StreamingManager's knobs: limits, timeouts, history and what to do with failing clients. */
    interface Streams {

        /** Streams running on this gateway replica at once; more get {@code too_many_streams}. */
        @WithDefault("2000")
        int maxConcurrent();

        /** Clients watching one stream on this replica; more get {@code too_many_clients}. */
        @WithDefault("1024")
        int maxClientsPerStream();

        /** A stream with no event for this long is ended with {@code timeout} and its generation stopped. */
        @WithDefault("2m")
        Duration inactivityTimeout();

        /** What a failed send to one client does: {@code log_and_continue}, {@code deregister_client}, {@code throw}. */
        @WithDefault("deregister_client")
        SendErrorPolicy sendErrorPolicy();

        /** A client whose send buffer is full: {@code close} it (1013) or drop it from the stream. */
        @WithDefault("close")
        SlowConsumerPolicy slowConsumerPolicy();

        /** Events kept per stream for resume (in memory while it runs here, and in Redis). */
        @WithDefault("10000")
        int historySize();

        /** How long a stream's history stays in Redis after its last event. */
        @WithDefault("10m")
        Duration historyTtl();

        /** A remote stream with nothing heard for this long is re-read from Redis (Pub/Sub may drop). */
        @WithDefault("3s")
        Duration remotePollInterval();
    }

    enum SendErrorPolicy {
        /** Log it and keep the client registered (it resumes by seq if it comes back). */
        LOG_AND_CONTINUE,
        /** Take the client off the stream; the stream goes on for the others. */
        DEREGISTER_CLIENT,
        /** End the stream with an {@code internal} error for everyone. */
        THROW
    }

    enum SlowConsumerPolicy {
        /** Close the connection with 1013 (try again later); the client resumes with {@code after_seq}. */
        CLOSE,
        /** Take the client off the stream, tell it {@code slow_consumer} with its last seq; the connection stays. */
        DEREGISTER_CLIENT
    }
}
