package dev.hearth.gateway.voice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The voice path's meters ({@code hearth_gateway_voice_*}). */
@ApplicationScoped
public class VoiceMetrics {

    private final Counter opened;
    private final Counter audioIn;
    private final Counter audioOut;
    private final Timer firstAudio;
    private final MeterRegistry meters;

    public VoiceMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.opened = Counter.builder("hearth.gateway.voice.streams.opened")
                .description("Voice turns opened (voice.start) on this gateway").register(meters);
        this.audioIn = Counter.builder("hearth.gateway.voice.audio.in").baseUnit("bytes")
                .description("Client audio forwarded to the router").register(meters);
        this.audioOut = Counter.builder("hearth.gateway.voice.audio.out").baseUnit("bytes")
                .description("Answer audio from the router put on voice streams").register(meters);
        this.firstAudio = Timer.builder("hearth.gateway.voice.first.audio")
                .description("From the end of the user's speech to this gateway sending the answer's first audio")
                .publishPercentileHistogram()
                .register(meters);
    }

    void opened() {
        opened.increment();
    }

    void audioIn(int bytes) {
        audioIn.increment(bytes);
    }

    void audioOut(int bytes) {
        audioOut.increment(bytes);
    }

    void firstAudio(long millis) {
        firstAudio.record(Duration.ofMillis(millis));
    }

    /** Audio frames refused, by reason ({@code no_turn}, {@code too_large}, {@code rate_limited}). */
    void refused(String reason) {
        meters.counter("hearth.gateway.voice.frames.refused", "reason", reason).increment();
    }
}
