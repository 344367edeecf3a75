package dev.hearth.stt.health;

import dev.hearth.stt.engine.PocketsphinxEngine;
import dev.hearth.stt.engine.SttEngine;
import dev.hearth.stt.grammar.HomeGrammar;
import dev.hearth.stt.service.EngineRegistry;
import dev.hearth.stt.vad.VoiceDetectors;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while at least one engine works; the data shows each engine, the voice detector in use
 * (and why Silero is not, if so) and the command grammar's version.
 */
@Readiness
@ApplicationScoped
public class EnginesReadiness implements HealthCheck {

    private final EngineRegistry engines;
    private final VoiceDetectors detectors;
    private final HomeGrammar grammar;

    public EnginesReadiness(EngineRegistry engines, VoiceDetectors detectors, HomeGrammar grammar) {
        this.engines = engines;
        this.detectors = detectors;
        this.grammar = grammar;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("stt-engines");
        boolean any = false;
        for (SttEngine engine : engines.all()) {
            boolean up = engine.available();
            any |= up;
            String detail = up ? "up" : "down";
            if (!up && engine instanceof PocketsphinxEngine ps) {
                detail = "down: " + ps.unavailableReason();
            }
            b.withData(engine.name(), detail);
        }
        b.withData("vad", detectors.engine() + (detectors.note().isEmpty() ? "" : " (" + detectors.note() + ")"));
        HomeGrammar.Current g = grammar.current();
        b.withData("grammar", g.grammar() == null ? "none (general model only)"
                : "v" + g.version() + ": " + g.grammar().devices().size() + " device names");
        return b.status(any).build();
    }
}
