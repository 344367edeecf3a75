package dev.hearth.stt.service;

import dev.hearth.stt.config.SttSettings;
import dev.hearth.stt.engine.PocketsphinxEngine;
import dev.hearth.stt.engine.SttEngine;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every {@link SttEngine} bean, by name. A call's engine is its own choice, else
 * {@code hearth.stt.default-engine}; {@code auto} is pocketsphinx when it is available, else the
 * first available remote engine.
 */
@ApplicationScoped
public class EngineRegistry {

    private final List<SttEngine> engines;
    private final SttSettings settings;

    public EngineRegistry(@Any Instance<SttEngine> beans, SttSettings settings) {
        List<SttEngine> list = new ArrayList<>();
        beans.forEach(list::add);
        // pocketsphinx first, then the rest by name: "auto" and listings are deterministic.
        list.sort(Comparator.comparing((SttEngine e) -> !e.name().equals(PocketsphinxEngine.NAME)).thenComparing(SttEngine::name));
        this.engines = List.copyOf(list);
        this.settings = settings;
    }

    public List<SttEngine> all() {
        return engines;
    }

    /**
     * The engine for a call. Unknown names are INVALID_ARGUMENT ({@code invalid_message}); a known
     * engine that cannot run is UNAVAILABLE ({@code engine_unavailable}).
     */
    public SttEngine select(String requested) {
        String name = requested == null || requested.isBlank() ? settings.defaultEngine() : requested.trim();
        if ("auto".equals(name)) {
            return engines.stream().filter(SttEngine::available).findFirst()
                    .orElseThrow(() -> Status.UNAVAILABLE.withDescription("engine_unavailable: no speech-to-text engine is available ("
                            + describe() + ")").asRuntimeException());
        }
        SttEngine engine = engines.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription("invalid_message: unknown engine '" + name
                        + "' (known: " + String.join(", ", engines.stream().map(SttEngine::name).toList()) + ")").asRuntimeException());
        if (!engine.available()) {
            throw Status.UNAVAILABLE.withDescription("engine_unavailable: " + name + " is not available"
                    + (engine instanceof PocketsphinxEngine ps ? ": " + ps.unavailableReason() : "")).asRuntimeException();
        }
        return engine;
    }

    /** "pocketsphinx=up, openai=down" for messages and readiness. */
    public String describe() {
        return String.join(", ", engines.stream().map(e -> e.name() + "=" + (e.available() ? "up" : "down")).toList());
    }
}
