package dev.hearth.stt.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** stt-service's meters ({@code hearth_stt_*}); created at startup so the gauges are there before the first call. */
@Startup
@ApplicationScoped
public class SttMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary peakBuffer;
    private final java.util.concurrent.atomic.AtomicLong buffered = new java.util.concurrent.atomic.AtomicLong();

    public SttMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.peakBuffer = DistributionSummary.builder("hearth_stt_call_buffer_peak_samples")
                .description("Most audio samples one call held at once (bounded by pre-roll and the longest utterance)")
                .register(registry);
        registry.gauge("hearth_stt_buffered_samples", buffered);
    }

    /** Audio samples all calls hold right now (voice detection's pre-roll and utterances being collected). */
    public long bufferedSamples() {
        return buffered.get();
    }

    void buffered(long delta) {
        buffered.addAndGet(delta);
    }

    void utterance(String engine, boolean command, long decodeNanos, int audioMs) {
        Counter.builder("hearth_stt_utterances").description("Utterances transcribed")
                .tag("engine", engine).tag("command", String.valueOf(command)).register(registry).increment();
        Timer.builder("hearth_stt_decode_seconds").description("Engine time per utterance")
                .tag("engine", engine).register(registry).record(decodeNanos, TimeUnit.NANOSECONDS);
        if (audioMs > 0) {
            DistributionSummary.builder("hearth_stt_real_time_factor").description("Engine time / utterance duration")
                    .tag("engine", engine).register(registry).record(decodeNanos / 1e6 / audioMs);
        }
    }

    /** A speculative decode was used for its utterance, or dropped (speech went on, or the utterance was cut). */
    void speculation(boolean used) {
        Counter.builder("hearth_stt_speculative_decodes").description("Decodes started before the end of the utterance was certain")
                .tag("outcome", used ? "used" : "dropped").register(registry).increment();
    }

    void vad(String detector, long frames, long nanos) {
        if (frames > 0) {
            Counter.builder("hearth_stt_vad_frames").description("32 ms frames analyzed by voice activity detection")
                    .tag("vad", detector).register(registry).increment(frames);
            Timer.builder("hearth_stt_vad_seconds").description("Voice activity detection compute time")
                    .tag("vad", detector).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void call(String outcome, long peakBufferedSamples) {
        Counter.builder("hearth_stt_calls").description("Transcribe calls by outcome")
                .tag("outcome", outcome).register(registry).increment();
        peakBuffer.record(peakBufferedSamples);
    }
}
