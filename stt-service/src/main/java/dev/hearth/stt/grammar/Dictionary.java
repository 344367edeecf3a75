package dev.hearth.stt.grammar;

import dev.hearth.stt.config.SttSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** The words of pocketsphinx's pronunciation dictionary: a grammar may only use these. */
@ApplicationScoped
public class Dictionary {

    private static final Logger LOG = Logger.getLogger(Dictionary.class);

    private final Path file;
    private volatile Set<String> words;

    public Dictionary(SttSettings settings) {
        this.file = Path.of(settings.pocketsphinx().modelDir(), "cmudict-en-us.dict");
    }

    public boolean contains(String word) {
        return words().contains(word);
    }

    private Set<String> words() {
        Set<String> w = words;
        if (w == null) {
            synchronized (this) {
                if (words == null) {
                    words = load();
                }
                w = words;
            }
        }
        return w;
    }

    private Set<String> load() {
        Set<String> set = new HashSet<>(200_000);
        // Lines are "word PH O NES"; alternative pronunciations are "word(2) ...".
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                int space = line.indexOf(' ');
                if (space > 0) {
                    String word = line.substring(0, space);
                    int paren = word.indexOf('(');
                    set.add(paren > 0 ? word.substring(0, paren) : word);
                }
            });
        } catch (IOException e) {
            LOG.warnf("pocketsphinx's dictionary %s cannot be read (%s): device names cannot go into a grammar", file, e.getMessage());
        }
        return Set.copyOf(set);
    }
}
