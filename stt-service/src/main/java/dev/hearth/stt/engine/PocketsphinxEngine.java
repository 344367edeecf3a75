package dev.hearth.stt.engine;

import dev.hearth.stt.config.SttSettings;
import dev.hearth.stt.engine.pocketsphinx.Decoder;
import dev.hearth.stt.engine.pocketsphinx.PocketSphinx;
import dev.hearth.stt.grammar.HomeGrammar;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Local speech recognition with pocketsphinx (Debian's libpocketsphinx3, in-process through JNA),
 * decoding each whole utterance. Commands are recognized against the home's grammar; the general
 * language model decodes the same audio as the guard: when the two disagree the speech is taken as
 * free-form, and the general model's text (or the configured fallback engine's) is the transcript.
 */
@ApplicationScoped
public class PocketsphinxEngine implements SttEngine {

    public static final String NAME = "pocketsphinx";
    public static final String INSTALL_HINT = "sudo apt-get install libpocketsphinx3 pocketsphinx-en-us";
    private static final Logger LOG = Logger.getLogger(PocketsphinxEngine.class);

    private final SttSettings settings;
    private final HomeGrammar grammar;
    private final Instance<SttEngine> engines;
    private final MeterRegistry metrics;
    private volatile PocketSphinx library;
    private volatile String unavailableReason = "not initialized";
    private volatile long rejectedGrammar = -1;

    public PocketsphinxEngine(SttSettings settings, HomeGrammar grammar, @Any Instance<SttEngine> engines, MeterRegistry metrics) {
        this.settings = settings;
        this.grammar = grammar;
        this.engines = engines;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        detect();
    }

    /** Looks for the library and the model; the service starts either way. */
    public synchronized void detect() {
        SttSettings.Pocketsphinx ps = settings.pocketsphinx();
        if (!ps.enabled()) {
            unavailableReason = "disabled (hearth.stt.pocketsphinx.enabled=false)";
            return;
        }
        Path model = Path.of(ps.modelDir());
        if (!Files.isDirectory(model.resolve("en-us")) || !Files.isRegularFile(model.resolve("cmudict-en-us.dict"))) {
            unavailableReason = "the pocketsphinx model is missing in " + model + " (" + INSTALL_HINT + ")";
            LOG.warn("pocketsphinx engine unavailable: " + unavailableReason);
            return;
        }
        try {
            int decoders = ps.decoders() > 0 ? ps.decoders() : Runtime.getRuntime().availableProcessors();
            library = PocketSphinx.load(ps.library(), ps.modelDir(), decoders);
            unavailableReason = "";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // JNA's message lists every path it tried: keep its first line, it goes into a gRPC status header.
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            unavailableReason = "libpocketsphinx cannot be loaded (" + (why.length() > 160 ? why.substring(0, 160) + "…" : why)
                    + "); " + INSTALL_HINT;
            LOG.warn("pocketsphinx engine unavailable: " + unavailableReason);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        PocketSphinx l = library;
        if (l != null) {
            l.close();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean available() {
        return library != null;
    }

    /** Why the engine is unavailable; empty when it is available. */
    public String unavailableReason() {
        return unavailableReason;
    }

    @Override
    public Uni<EngineTranscript> transcribe(Utterance utterance) {
        PocketSphinx l = library;
        if (l == null) {
            return Uni.createFrom().failure(new SttEngineException("engine_unavailable", "pocketsphinx: " + unavailableReason));
        }
        HomeGrammar.Current g = grammar.current();
        Optional<SttEngine> fallback = fallbackEngine();
        return Uni.createFrom().item(() -> decode(l, g, utterance, fallback.isPresent()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(e -> !(e instanceof SttEngineException))
                .transform(e -> new SttEngineException("engine_error", "pocketsphinx: " + e.getMessage(), e))
                .chain(result -> result != null ? Uni.createFrom().item(result)
                        : fallback.get().transcribe(utterance));
    }

    /** Null when the speech is free-form and the fallback engine should transcribe it. */
    private EngineTranscript decode(PocketSphinx l, HomeGrammar.Current g, Utterance utterance, boolean hasFallback) {
        return l.withDecoder(decoder -> {
            Decoder.Result command = null;
            if (g.grammar() != null && useGrammar(decoder, g)) {
                command = decoder.decode(Decoder.GRAMMAR, utterance.samples());
            }
            if (command != null && !command.text().isEmpty()) {
                Decoder.Result general = decoder.decode(Decoder.LM, utterance.samples());
                double agreement = agreement(words(command.text()), words(general.text()));
                double gap = (general.acousticScore() - command.acousticScore()) / (double) Math.max(1, command.frames());
                if (gap <= settings.pocketsphinx().maxAcousticGap() || agreement >= settings.pocketsphinx().minAgreement()) {
                    guard("command");
                    return transcript(command, confidence(gap, agreement), true);
                }
                guard("rejected");
                LOG.debugf("grammar hypothesis '%s' rejected: the general model heard '%s' (acoustic gap %.1f, agreement %.2f)",
                        command.text(), general.text(), gap, agreement);
                return hasFallback ? null : transcript(general, (float) general.probability(), false);
            }
            guard("free_form");
            if (hasFallback) {
                return null;
            }
            Decoder.Result general = decoder.decode(Decoder.LM, utterance.samples());
            return transcript(general, (float) general.probability(), false);
        });
    }

    /** A command's confidence: 1 when the general model heard the same or fits no better, falling as it fits better. */
    private double confidenceBase() {
        return Math.max(1, settings.pocketsphinx().maxAcousticGap() + 15);
    }

    private float confidence(double gap, double agreement) {
        double acoustic = 1 - Math.max(0, gap + 15) / (confidenceBase() * 2);
        return (float) Math.max(agreement, Math.max(0.5, Math.min(1, acoustic)));
    }

    /** False when pocketsphinx rejects the grammar: the utterance is decoded with the general model alone. */
    private boolean useGrammar(Decoder decoder, HomeGrammar.Current g) {
        try {
            decoder.useGrammar(g.grammar().jsgf(), g.version());
            return true;
        } catch (IllegalArgumentException e) {
            if (rejectedGrammar != g.version()) {
                rejectedGrammar = g.version();
                LOG.warnf("pocketsphinx rejected command grammar v%d; decoding with the general model only:%n%s",
                        g.version(), g.grammar().jsgf());
            }
            return false;
        }
    }

    private Optional<SttEngine> fallbackEngine() {
        Optional<String> name = settings.fallbackEngine().filter(n -> !n.isBlank() && !n.equals(NAME));
        if (name.isEmpty()) {
            return Optional.empty();
        }
        for (SttEngine engine : engines) {
            if (engine.name().equals(name.get()) && engine.available()) {
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }

    private void guard(String outcome) {
        metrics.counter("hearth_stt_pocketsphinx_guard", "outcome", outcome).increment();
    }

    private static EngineTranscript transcript(Decoder.Result result, float confidence, boolean command) {
        List<EngineTranscript.Word> words = new ArrayList<>();
        for (Decoder.Segment s : result.segments()) {
            String word = clean(s.word());
            if (!word.isEmpty()) {
                words.add(new EngineTranscript.Word(word, s.startFrame() * Decoder.FRAME_MS,
                        (s.endFrame() + 1) * Decoder.FRAME_MS, (float) s.probability()));
            }
        }
        String text = String.join(" ", words(result.text()));
        return new EngineTranscript(text, words, Math.max(0f, Math.min(1f, confidence)), command, "en");
    }

    /** The words of a hypothesis without fillers and alternate-pronunciation marks. */
    static List<String> words(String hypothesis) {
        List<String> out = new ArrayList<>();
        for (String w : hypothesis.trim().split("\\s+")) {
            String c = clean(w);
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    private static String clean(String word) {
        if (word == null || word.isEmpty() || word.startsWith("<") || word.startsWith("(") || word.startsWith("[") || word.startsWith("+")) {
            return "";
        }
        int paren = word.indexOf('(');
        return paren > 0 ? word.substring(0, paren) : word;
    }

    /** Longest common word subsequence relative to the longer hypothesis: 1 when they are the same words. */
    static double agreement(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                lcs[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? lcs[i - 1][j - 1] + 1 : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        return (double) lcs[a.size()][b.size()] / Math.max(a.size(), b.size());
    }

    /** Decoders created so far (for readiness and tests). */
    public int decodersCreated() {
        PocketSphinx l = library;
        return l == null ? 0 : l.decodersCreated();
    }
}
