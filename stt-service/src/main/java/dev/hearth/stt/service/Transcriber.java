package dev.hearth.stt.service;

import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.stt.config.SttSettings;
import dev.hearth.stt.vad.VoiceDetectors;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs Transcribe calls: each call's inputs are handled in order on a worker thread (voice
 * detection is CPU work, kept off the event loop), its events come out in order, and the call
 * ends at {@code end}, at the caller's half-close, after the first final with
 * {@code single_utterance}, or on the first error (which concerns this call only).
 */
@ApplicationScoped
public class Transcriber {

    private final SttSettings settings;
    private final EngineRegistry engines;
    private final VoiceDetectors detectors;
    private final SttMetrics metrics;

    public Transcriber(SttSettings settings, EngineRegistry engines, VoiceDetectors detectors, SttMetrics metrics) {
        this.settings = settings;
        this.engines = engines;
        this.detectors = detectors;
        this.metrics = metrics;
    }

    public Multi<SttEvent> transcribe(Multi<SttInput> request) {
        return Multi.createFrom().deferred(() -> {
            TranscriptionCall call = new TranscriptionCall(settings, engines, detectors, metrics);
            return request.emitOn(Infrastructure.getDefaultWorkerPool())
                    .onItem().transformToMultiAndConcatenate(call::onInput)
                    .onCompletion().switchTo(call::onInputEnd)
                    .select().first(out -> !out.stop())
                    .map(TranscriptionCall.Out::event)
                    .onTermination().invoke(call::close);
        });
    }
}
