package dev.hearth.tts.service;

import dev.hearth.tts.config.TtsSettings;
import dev.hearth.tts.engine.EngineException;
import dev.hearth.tts.engine.EspeakEngine;
import dev.hearth.tts.engine.Pcm;
import dev.hearth.tts.engine.TtsEngine;
import dev.hearth.tts.engine.Voice;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Picks the engine and voice of a request and synthesizes sentences with it: phrase cache first,
 * then the engine (with a timeout), then resampling to the requested rate. Records synthesis time
 * and real-time factor per engine.
 */
@ApplicationScoped
public class SpeechSynthesizer {

    /** Preference order when a request names no engine. */
    private static final List<String> ORDER = List.of("flite", "espeak", "freetts", "openai", "wyoming");

    /** What a request resolved to; {@code sampleRate} 0 keeps the engine's own rate. */
    public record Plan(TtsEngine engine, String voice, int sampleRate) {
    }

    private final Map<String, TtsEngine> engines;
    private final TtsSettings settings;
    private final PhraseCache cache;
    private final MeterRegistry registry;

    SpeechSynthesizer(Instance<TtsEngine> all, TtsSettings settings, PhraseCache cache, MeterRegistry registry) {
        Map<String, TtsEngine> byName = new LinkedHashMap<>();
        all.stream().sorted(Comparator.comparingInt(e -> ORDER.indexOf(e.name())))
                .forEach(e -> byName.put(e.name(), e));
        this.engines = byName;
        this.settings = settings;
        this.cache = cache;
        this.registry = registry;
    }

    /** Engines usable on this host, in preference order. */
    public List<TtsEngine> available() {
        return engines.values().stream().filter(TtsEngine::available).toList();
    }

    public TtsSettings settings() {
        return settings;
    }

    /** Resolves and validates a request's engine, voice and rate; INVALID_ARGUMENT says what exists. */
    public Plan plan(String engineName, String voice, String language, int sampleRate) {
        if (sampleRate != 0 && (sampleRate < settings.minSampleRate() || sampleRate > settings.maxSampleRate())) {
            throw invalid("sample_rate " + sampleRate + " is out of range: use 0 (the engine's own rate) or "
                    + settings.minSampleRate() + ".." + settings.maxSampleRate());
        }
        String name = engineName == null ? "" : engineName.strip().toLowerCase(Locale.ROOT);
        String wanted = voice == null ? "" : voice.strip();
        int colon = wanted.indexOf(':');
        if (name.isEmpty() && colon > 0 && engines.containsKey(wanted.substring(0, colon))) {
            name = wanted.substring(0, colon); // "espeak:de" names engine and voice at once (Wyoming)
            wanted = wanted.substring(colon + 1);
        }
        TtsEngine engine = name.isEmpty() ? chooseEngine(wanted, language) : engines.get(name);
        if (engine == null || !engine.available()) {
            throw invalid("unknown engine '" + engineName + "'; available here: " + names(available()));
        }
        if (wanted.isEmpty()) {
            wanted = engine instanceof EspeakEngine && language != null && !language.isBlank()
                    ? language.strip() : engine.defaultVoice();
        }
        if (!hasVoice(engine, wanted)) {
            throw invalid("unknown voice '" + wanted + "' for engine " + engine.name() + "; voices: "
                    + engine.voices().stream().map(Voice::name).collect(Collectors.joining(", ")));
        }
        if (engine instanceof EspeakEngine espeak) {
            wanted = espeak.resolve(wanted);
        }
        return new Plan(engine, wanted, sampleRate);
    }

    private TtsEngine chooseEngine(String voice, String language) {
        if (!voice.isEmpty()) {
            for (TtsEngine e : available()) {
                if (!e.voices().isEmpty() && hasVoice(e, voice)) {
                    return e;
                }
            }
        }
        String configured = settings.defaultEngine().strip().toLowerCase(Locale.ROOT);
        if (!"auto".equals(configured)) {
            return engines.get(configured);
        }
        boolean english = language == null || language.isBlank() || language.toLowerCase(Locale.ROOT).startsWith("en");
        if (!english && engines.get("espeak") != null && engines.get("espeak").available()) {
            return engines.get("espeak");
        }
        return available().isEmpty() ? null : available().get(0);
    }

    private static boolean hasVoice(TtsEngine engine, String voice) {
        if (engine instanceof EspeakEngine espeak) {
            return espeak.resolve(voice) != null;
        }
        return engine.voices().isEmpty() || voice.equals(engine.defaultVoice()) || engine.voices().stream().anyMatch(v -> v.name().equals(voice));
    }

    /** One sentence's audio at the plan's rate. */
    public Uni<Pcm> speak(Plan plan, String text) {
        String key = cache.key(plan.engine().name(), plan.voice(), plan.sampleRate(), text);
        return cache.get(key).flatMap(hit -> hit != null ? Uni.createFrom().item(hit)
                : fresh(plan, text).invoke(pcm -> cache.put(key, pcm)));
    }

    private Uni<Pcm> fresh(Plan plan, String text) {
        String engine = plan.engine().name();
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return plan.engine().synthesize(text, plan.voice())
                    .ifNoItem().after(settings.synthesisTimeout()).fail()
                    .map(pcm -> {
                        long took = System.nanoTime() - start;
                        Timer.builder("hearth.tts.synthesis").tag("engine", engine)
                                .description("Time to synthesize one sentence").register(registry)
                                .record(took, TimeUnit.NANOSECONDS);
                        if (pcm.data().length > 0) {
                            DistributionSummary.builder("hearth.tts.real.time.factor").tag("engine", engine)
                                    .description("Synthesis time divided by audio duration").register(registry)
                                    .record(took / 1e9 / pcm.seconds());
                        }
                        return Resampler.resample(pcm, plan.sampleRate());
                    });
        }).onFailure().transform(SpeechSynthesizer::toStatus);
    }

    /** Any failure as a gRPC status exception with a clear description. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (failure instanceof EngineException ee) {
            return ee.status().asRuntimeException();
        }
        if (failure instanceof TimeoutException) {
            return Status.DEADLINE_EXCEEDED.withDescription("synthesis took longer than the limit").asRuntimeException();
        }
        return Status.INTERNAL.withDescription("synthesis failed: " + failure).withCause(failure).asRuntimeException();
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    private static String names(List<TtsEngine> list) {
        return list.stream().map(TtsEngine::name).collect(Collectors.joining(", "));
    }
}
