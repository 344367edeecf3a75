package dev.hearth.stt.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything stt-service's core reads from configuration ({@code hearth.stt.*}). */
@ConfigMapping(prefix = "hearth.stt")
public interface SttSettings {

    /** Engine used when a call names none: {@code auto} picks pocketsphinx, else the first available remote engine. */
    @WithDefault("auto")
    String defaultEngine();

    /** Remote engine ({@code openai}, {@code wyoming}) for speech the command grammar rejects; unset: pocketsphinx's general model. */
    Optional<String> fallbackEngine();

    /** Accepted range of a call's input sample rate (resampled to 16 kHz). */
    @WithDefault("8000")
    int minSampleRate();

    @WithDefault("48000")
    int maxSampleRate();

    /** Longest one utterance may take to transcribe before the call fails. */
    @WithDefault("60s")
    Duration decodeTimeout();

    Vad vad();

    Pocketsphinx pocketsphinx();

    Grammar grammar();

    interface Vad {
        /** {@code silero} (falls back to {@code energy} when the model cannot be loaded) or {@code energy}. */
        @WithDefault("silero")
        String engine();

        /** Speech probability above which a 32 ms frame counts as voiced (Silero). */
        @WithDefault("0.5")
        float threshold();

        /** Frame level above the tracked noise floor that counts as voiced (energy detector), dB. */
        @WithDefault("12")
        float energyMarginDb();

        /** Absolute level below which a frame is never voiced (energy detector), dBFS. */
        @WithDefault("-50")
        float energyFloorDbfs();

        /** Voiced audio needed before an utterance starts. */
        @WithDefault("160")
        int minSpeechMs();

        /** Silence that ends an utterance when the call does not say. */
        @WithDefault("600")
        int minSilenceMs();

        /** Hard cut of one utterance when the call does not say. */
        @WithDefault("30000")
        int maxUtteranceMs();

        /** Audio kept before the detected start so the first phoneme is not clipped. */
        @WithDefault("300")
        int preRollMs();

        /** Audio without speech after which the call fails ({@code no_speech}) when the call does not say. */
        @WithDefault("15000")
        int noSpeechTimeoutMs();

        /** Upper bound a call may ask for as its no-speech timeout. */
        @WithDefault("3600000")
        int maxNoSpeechTimeoutMs();

        /**
         * Start decoding an utterance once the pause after it has outlasted the tail the engine gets
         * (100 ms), before the end of the utterance is certain: if the pause lasts to the minimum
         * silence, the transcript is ready (or nearly) when the utterance ends; if speech resumes, that
         * decode is dropped. Trades some engine time for less latency.
         */
        @WithDefault("true")
        boolean speculativeDecode();
    }

    interface Pocketsphinx {
        @WithDefault("true")
        boolean enabled();

        /** The shared library JNA loads ({@code pocketsphinx} finds Debian's libpocketsphinx.so.3). */
        @WithDefault("pocketsphinx")
        String library();

        /** Acoustic model, dictionary and language model directory of pocketsphinx-en-us. */
        @WithDefault("/usr/share/pocketsphinx/model/en-us")
        String modelDir();

        /** Decoders (each holds the models, ~60 MB); 0: one per CPU core. */
        @WithDefault("0")
        int decoders();

        /**
         * The guard against forcing free-form speech into a command. The general language model decodes
         * the same audio; a grammar hypothesis is taken when its acoustic score trails the general model's
         * by at most this much per 10 ms frame (pocketsphinx's log units: commands measure about -15..3
         * here, questions forced into the grammar 10..100)...
         */
        @WithDefault("5")
        double maxAcousticGap();

        /** ...or when the general model heard the same words (this share of the longer hypothesis, in order). */
        @WithDefault("0.75")
        double minAgreement();
    }

    interface Grammar {
        /** Generate a command grammar from mcp-config's device list. */
        @WithDefault("true")
        boolean enabled();

        /** How often the device list is re-read; the grammar is rebuilt only when it changed. */
        @WithDefault("30s")
        Duration refresh();

        /** Deadline of one ListHomeDevices call. */
        @WithDefault("5s")
        Duration timeout();
    }
}
