package dev.hearth.tts.config;

import dev.hearth.wyoming.WyomingServerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything tts-service reads from configuration ({@code hearth.tts.*}). */
@ConfigMapping(prefix = "hearth.tts")
public interface TtsSettings {

    /** Engine used when a request names none: {@code auto} picks flite, espeak-ng (non-English), then FreeTTS. */
    @WithDefault("auto")
    String defaultEngine();

    /** Most characters of text one request (one gRPC call, one Wyoming synthesis) may carry. */
    @WithDefault("20000")
    int maxTextChars();

    /** Accepted range of a requested output sample rate. */
    @WithDefault("8000")
    int minSampleRate();

    @WithDefault("48000")
    int maxSampleRate();

    /** Longest one sentence may take to synthesize before the call fails. */
    @WithDefault("60s")
    Duration synthesisTimeout();

    Flite flite();

    Espeak espeak();

    FreeTts freetts();

    OpenAi openai();

    WyomingClient wyoming();

    Cache cache();

    WyomingServer wyomingServer();

    interface Flite {
        @WithDefault("flite")
        String binary();

        @WithDefault("slt")
        String defaultVoice();
    }

    interface Espeak {
        @WithDefault("espeak-ng")
        String binary();

        @WithDefault("en")
        String defaultVoice();
    }

    interface FreeTts {
        @WithDefault("true")
        boolean enabled();
    }

    /** An OpenAI-compatible {@code /v1/audio/speech} server (OpenAI, Kokoro, Piper HTTP servers). */
    interface OpenAi {
        /** Base URL up to and including {@code /v1}; the engine is off when unset. */
        Optional<String> url();

        @WithDefault("tts-1")
        String model();

        @WithDefault("alloy")
        String defaultVoice();

        /** Voices offered; empty means the server decides what is valid. */
        Optional<List<String>> voices();

        /** Name of the environment variable holding the API key (none sent when unset or empty). */
        @WithDefault("OPENAI_API_KEY")
        String apiKeyEnv();

        /** {@code pcm} (raw s16le at {@link #pcmSampleRate()}) or {@code wav}. */
        @WithDefault("pcm")
        String responseFormat();

        @WithDefault("24000")
        int pcmSampleRate();

        @WithDefault("5s")
        Duration connectTimeout();
    }

    /** A Wyoming TTS server used as an engine (e.g. wyoming-piper). */
    interface WyomingClient {
        /** {@code host:port}; the engine is off when unset. */
        Optional<String> address();

        @WithDefault("default")
        String defaultVoice();

        Optional<List<String>> voices();

        @WithDefault("5s")
        Duration connectTimeout();
    }

    interface Cache {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("P7D")
        Duration ttl();

        /** Larger synthesized phrases are not cached. */
        @WithDefault("2000000")
        int maxEntryBytes();

        /** A Redis call slower than this counts as a miss (Redis down never fails synthesis). */
        @WithDefault("500ms")
        Duration timeout();

        @WithDefault("${hearth.redis.prefix:hearth:}")
        String prefix();
    }

    /** The Wyoming server: {@link WyomingServerConfig}'s settings and its port. */
    interface WyomingServer extends WyomingServerConfig {
        /** 0 picks a free port (tests). */
        @WithDefault("10200")
        int port();
    }
}
