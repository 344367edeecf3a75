package dev.hearth.router.voice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The latency ledger as metrics: {@code hearth_router_voice_stage_seconds{stage}} (time after the
 * end of the user's speech was detected), turns answered or interrupted, barge-ins.
 */
@ApplicationScoped
public class VoiceMetrics {

    /** The ledger's stages, as the {@code stage} tag says them. */
    enum Stage {
        FINAL_TRANSCRIPT("final_transcript"),
        FIRST_TOKEN("first_token"),
        FIRST_AUDIO_SYNTHESIZED("first_audio_synthesized"),
        FIRST_AUDIO_SENT("first_audio_sent");

        final String tag;

        Stage(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
    private final Counter answered;
    private final Counter interrupted;
    private final Counter bargeIns;

    public VoiceMetrics(MeterRegistry registry) {
        for (Stage stage : Stage.values()) {
            stages.put(stage, Timer.builder("hearth.router.voice.stage")
                    .description("Time from the end of the user's speech to a stage of the spoken answer")
                    .tag("stage", stage.tag).register(registry));
        }
        answered = Counter.builder("hearth.router.voice.turns").description("Voice turns by outcome")
                .tag("outcome", "answered").register(registry);
        interrupted = Counter.builder("hearth.router.voice.turns").description("Voice turns by outcome")
                .tag("outcome", "interrupted").register(registry);
        bargeIns = Counter.builder("hearth.router.voice.barge.ins")
                .description("Answers cut because the user spoke while they were being spoken").register(registry);
    }

    void stage(Stage stage, long nanos) {
        stages.get(stage).record(nanos, TimeUnit.NANOSECONDS);
    }

    void turnEnded(boolean wasInterrupted) {
        (wasInterrupted ? interrupted : answered).increment();
    }

    void bargeIn() {
        bargeIns.increment();
    }
}
