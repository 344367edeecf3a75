package dev.hearth.tts.engine;

import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.AudioPlayer;
import dev.hearth.tts.config.TtsSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sound.sampled.AudioFormat;

/**
 * FreeTTS, pure Java: the in-JVM fallback when neither flite nor espeak-ng is installed. A FreeTTS
 * voice is not thread-safe, so each one speaks one sentence at a time on a worker thread.
 */
@ApplicationScoped
public class FreeTtsEngine implements TtsEngine {

    static final String VOICE_DIRECTORY = "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory";
    private static final List<Voice> VOICES = List.of(
            new Voice("kevin16", List.of("en_US"), "FreeTTS kevin16 (16 kHz diphone)"),
            new Voice("kevin", List.of("en_US"), "FreeTTS kevin (8 kHz diphone)"));

    private final boolean enabled;
    private final Map<String, com.sun.speech.freetts.Voice> loaded = new ConcurrentHashMap<>();

    FreeTtsEngine(TtsSettings settings) {
        this.enabled = settings.freetts().enabled();
    }

    @Override
    public String name() {
        return "freetts";
    }

    @Override
    public boolean available() {
        return enabled;
    }

    @Override
    public List<Voice> voices() {
        return VOICES;
    }

    @Override
    public String defaultVoice() {
        return "kevin16";
    }

    @Override
    public String attributionUrl() {
        return "https://freetts.sourceforge.io";
    }

    @Override
    public Uni<Pcm> synthesize(String text, String voiceName) {
        AtomicBoolean cancelled = new AtomicBoolean();
        return Uni.createFrom().item(() -> speak(text, voiceName, cancelled))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onCancellation().invoke(() -> cancelled.set(true));
    }

    private Pcm speak(String text, String voiceName, AtomicBoolean cancelled) {
        com.sun.speech.freetts.Voice voice = loaded.computeIfAbsent(voiceName, FreeTtsEngine::allocate);
        synchronized (voice) {
            CollectingPlayer player = new CollectingPlayer(cancelled);
            voice.setAudioPlayer(player);
            voice.speak(text);
            if (cancelled.get()) {
                throw new EngineException("FreeTTS synthesis was cancelled");
            }
            return player.pcm();
        }
    }

    private static com.sun.speech.freetts.Voice allocate(String name) {
        if (System.getProperty("freetts.voices") == null) {
            System.setProperty("freetts.voices", VOICE_DIRECTORY);
        }
        com.sun.speech.freetts.Voice voice = VoiceManager.getInstance().getVoice(name);
        if (voice == null) {
            throw new EngineException("FreeTTS has no voice " + name);
        }
        voice.allocate();
        return voice;
    }

    /** An {@link AudioPlayer} that keeps the samples instead of playing them; a false write stops the utterance. */
    static final class CollectingPlayer implements AudioPlayer {
        private final AtomicBoolean cancelled;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private AudioFormat format = new AudioFormat(16000, 16, 1, true, true);

        CollectingPlayer(AtomicBoolean cancelled) {
            this.cancelled = cancelled;
        }

        Pcm pcm() {
            byte[] raw = out.toByteArray();
            byte[] le = format.isBigEndian() ? Audio.swapBytes(raw, raw.length) : raw;
            if (format.getChannels() > 1) {
                le = Audio.downmix(le, format.getChannels());
            }
            return new Pcm(le, (int) format.getSampleRate());
        }

        @Override
        public void setAudioFormat(AudioFormat format) {
            this.format = format;
        }

        @Override
        public AudioFormat getAudioFormat() {
            return format;
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void reset() {
        }

        @Override
        public boolean drain() {
            return true;
        }

        @Override
        public void begin(int size) {
        }

        @Override
        public boolean end() {
            return !cancelled.get();
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }

        @Override
        public float getVolume() {
            return 1f;
        }

        @Override
        public void setVolume(float volume) {
        }

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public void resetTime() {
        }

        @Override
        public void startFirstSampleTimer() {
        }

        @Override
        public boolean write(byte[] audio) {
            return write(audio, 0, audio.length);
        }

        @Override
        public boolean write(byte[] audio, int offset, int size) {
            if (cancelled.get()) {
                return false;
            }
            out.write(audio, offset, size);
            return true;
        }

        @Override
        public void showMetrics() {
        }
    }
}
