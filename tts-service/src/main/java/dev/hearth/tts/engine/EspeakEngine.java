package dev.hearth.tts.engine;

import dev.hearth.tts.config.TtsSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * espeak-ng for the many languages flite lacks. It is GPL, so it only ever runs as a separate
 * process ({@code --stdout} writes a WAV); the text goes in on standard input.
 */
@ApplicationScoped
public class EspeakEngine implements TtsEngine {

    private final TtsSettings.Espeak settings;
    private final ProcessRunner runner;
    private volatile List<Voice> voices = List.of();
    private volatile Map<String, String> aliases = Map.of();
    private volatile boolean available;

    EspeakEngine(TtsSettings settings, ProcessRunner runner) {
        this.settings = settings.espeak();
        this.runner = runner;
    }

    void detect(@Observes StartupEvent event) {
        available = ProcessRunner.installed(settings.binary());
        String listing = available ? ProcessRunner.probe(List.of(settings.binary(), "--voices")) : null;
        if (listing == null) {
            return;
        }
        List<Voice> found = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        // "Pty Language Age/Gender VoiceName File Other Languages"
        for (String line : listing.lines().skip(1).toList()) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length < 5) {
                continue;
            }
            String language = cols[1];
            found.add(new Voice(language, List.of(language.replace('-', '_')), cols[3]));
            names.put(language.toLowerCase(Locale.ROOT), language);
            names.put(cols[3].toLowerCase(Locale.ROOT), language);
            names.put(cols[4].toLowerCase(Locale.ROOT), cols[4]);
            String file = cols[4].substring(cols[4].lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            names.putIfAbsent(file, cols[4]); // "en" → gmw/en
        }
        voices = List.copyOf(found);
        aliases = Map.copyOf(names);
    }

    @Override
    public String name() {
        return "espeak";
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public List<Voice> voices() {
        return voices;
    }

    /** The espeak-ng voice for a name, language code or file (variants like {@code en+f3} kept); null if none. */
    public String resolve(String voice) {
        String lower = voice.toLowerCase(Locale.ROOT);
        int plus = lower.indexOf('+');
        String base = plus < 0 ? lower : lower.substring(0, plus);
        String found = aliases.get(base);
        if (found == null) {
            found = aliases.get(base.replace('_', '-'));
        }
        return found == null ? null : found + (plus < 0 ? "" : voice.substring(plus));
    }

    @Override
    public String defaultVoice() {
        return settings.defaultVoice();
    }

    @Override
    public String attributionUrl() {
        return "https://github.com/espeak-ng/espeak-ng";
    }

    @Override
    public Uni<Pcm> synthesize(String text, String voice) {
        String resolved = resolve(voice);
        return runner.run(List.of(settings.binary(), "-v", resolved == null ? voice : resolved, "--stdout", "--stdin"),
                        text.getBytes(StandardCharsets.UTF_8))
                .map(Wav::read);
    }
}
