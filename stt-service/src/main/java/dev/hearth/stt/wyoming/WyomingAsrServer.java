package dev.hearth.stt.wyoming;

import dev.hearth.stt.engine.SttEngine;
import dev.hearth.stt.service.EngineRegistry;
import dev.hearth.wyoming.WyomingEvent;
import dev.hearth.wyoming.WyomingListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Wyoming ASR server on its own TCP port (default 10300, as wyoming-faster-whisper), so Home
 * Assistant's Wyoming integration can add Hearth's speech to text by host and port. Each
 * connection is a {@link WyomingAsrConnection}; a bad one is closed without touching the others.
 */
@ApplicationScoped
public class WyomingAsrServer {

    static final String PROGRAM = "hearth";

    private final WyomingServerSettings settings;
    private final TranscriptionPipeline pipeline;
    private final EngineRegistry engines;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private NetServer server;

    WyomingAsrServer(WyomingServerSettings settings, TranscriptionPipeline pipeline, EngineRegistry engines, Vertx vertx,
            MeterRegistry registry) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.engines = engines;
        this.vertx = vertx;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) throws Exception {
        server = WyomingListener.listen(vertx, settings, settings.port(), "ASR", socket -> {
            connections.incrementAndGet();
            Set<String> available = available();
            new WyomingAsrConnection(socket, vertx, settings, pipeline, available, info(available),
                    outcome -> registry.counter("hearth_stt_wyoming_transcriptions_total", "outcome", outcome)
                            .increment(), connections::decrementAndGet).start();
        });
        if (server != null) {
            registry.gauge("hearth_stt_wyoming_connections", connections);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    /** The port listened on (useful when configured as 0); -1 when the server is off. */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    private Set<String> available() {
        Set<String> names = new LinkedHashSet<>();
        for (SttEngine engine : engines.all()) { // the registry's order: pocketsphinx, then by name
            if (engine.available()) {
                names.add(engine.name());
            }
        }
        return names;
    }

    /**
     * The {@code info} answer, shaped as Home Assistant reads it: one ASR program, {@code hearth},
     * whose models are {@code hearth} (the service's own choice of engine) and each engine available
     * here by name; {@code transcribe.name} picks one.
     */
    private JsonObject info(Set<String> available) {
        JsonArray models = new JsonArray().add(model(PROGRAM, "Hearth speech to text (the configured engine)"));
        for (String engine : available) {
            models.add(model(engine, "Hearth speech to text with the " + engine + " engine"));
        }
        JsonObject program = new JsonObject().put("name", PROGRAM)
                .put("description", "Hearth speech to text")
                .put("attribution", WyomingEvent.hearthAttribution())
                .put("installed", true)
                .put("version", "0.1.0")
                .put("models", models)
                .put("supports_transcript_streaming", settings.streamTranscripts());
        return WyomingEvent.info(new JsonArray().add(program), new JsonArray()).data();
    }

    private JsonObject model(String name, String description) {
        return new JsonObject().put("name", name)
                .put("description", description)
                .put("attribution", WyomingEvent.hearthAttribution())
                .put("installed", true)
                .put("version", "0.1.0")
                .put("languages", new JsonArray(settings.languages()));
    }
}
