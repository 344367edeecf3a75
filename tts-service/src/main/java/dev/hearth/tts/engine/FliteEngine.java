package dev.hearth.tts.engine;

import dev.hearth.tts.config.TtsSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;

/** CMU flite, run as a process per sentence writing a WAV to its standard output. */
@ApplicationScoped
public class FliteEngine implements TtsEngine {

    private final TtsSettings.Flite settings;
    private final ProcessRunner runner;
    private volatile List<Voice> voices = List.of();
    private volatile boolean available;

    FliteEngine(TtsSettings settings, ProcessRunner runner) {
        this.settings = settings.flite();
        this.runner = runner;
    }

    void detect(@Observes StartupEvent event) {
        available = ProcessRunner.installed(settings.binary());
        String listing = available ? ProcessRunner.probe(List.of(settings.binary(), "-lv")) : null;
        if (listing != null && listing.contains(":")) {
            // "Voices available: kal awb_time kal16 awb rms slt"
            voices = Arrays.stream(listing.substring(listing.indexOf(':') + 1).trim().split("\\s+"))
                    .filter(v -> !v.isBlank())
                    .map(v -> new Voice(v, List.of("en_US"), "flite " + v))
                    .toList();
        }
    }

    @Override
    public String name() {
        return "flite";
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public List<Voice> voices() {
        return voices;
    }

    @Override
    public String defaultVoice() {
        return settings.defaultVoice();
    }

    @Override
    public String attributionUrl() {
        return "http://cmuflite.org";
    }

    @Override
    public Uni<Pcm> synthesize(String text, String voice) {
        // -t takes the next argument as text whatever it starts with.
        return runner.run(List.of(settings.binary(), "-voice", voice, "-t", text, "-o", "/dev/stdout"), null)
                .map(Wav::read);
    }
}
