package dev.hearth.stt.grpc;

import static dev.hearth.stt.grpc.SttCalls.audio;
import static dev.hearth.stt.grpc.SttCalls.config;
import static dev.hearth.stt.grpc.SttCalls.end;
import static dev.hearth.stt.grpc.SttCalls.finals;
import static dev.hearth.stt.grpc.SttCalls.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.audio.Resampler;
import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.proto.v1.Transcript;
import dev.hearth.stt.Speech;
import dev.hearth.stt.engine.PocketsphinxEngine;
import dev.hearth.stt.fake.FakeConfigService;
import dev.hearth.stt.grammar.HomeGrammar;
import dev.hearth.stt.service.SttMetrics;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transcribe over real gRPC with the real VAD and pocketsphinx: endpointing, call shapes, bad input. */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
class TranscribeTest {

    static final String COMMAND = "turn on the kitchen light";
    static final String OTHER = "close the garage door";

    @GrpcClient("self")
    MutinySpeechToTextGrpc.MutinySpeechToTextStub stt;

    @Inject
    PocketsphinxEngine pocketsphinx;
    @Inject
    HomeGrammar grammar;
    @Inject
    SttMetrics metrics;
    @Inject
    MeterRegistry registry;

    SttCalls calls;

    @BeforeEach
    void setUp() {
        calls = new SttCalls(stt);
    }

    void requireEngines() {
        Assumptions.assumeTrue(Speech.fliteInstalled(), "flite is not installed: sudo apt-get install flite");
        Assumptions.assumeTrue(pocketsphinx.available(),
                "pocketsphinx is not installed: " + PocketsphinxEngine.INSTALL_HINT);
        grammar.refresh().await().atMost(Duration.ofSeconds(10));
    }

    static SttConfig.Builder vad() {
        return SttConfig.newBuilder().setSampleRate(16000).setVad(true);
    }

    /** First and last sample louder than a whisper: where the speech really is. */
    static int[] speechBoundsMs(short[] speech) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < speech.length; i++) {
            if (Math.abs(speech[i]) > 300) {
                last = i;
                if (first < 0) {
                    first = i;
                }
            }
        }
        return new int[] {first * 1000 / Speech.RATE, last * 1000 / Speech.RATE};
    }

    @Test
    void endpointsAnUtteranceBetweenLeadingAndTrailingSilence() {
        requireEngines();
        short[] speech = Speech.say("slt", COMMAND);
        int[] bounds = speechBoundsMs(speech);
        short[] audio = Speech.concat(Speech.noise(2000, 30, 1), speech, Speech.noise(2000, 30, 2));

        List<SttEvent> events = calls.run(utterance(vad(), Speech.bytes(audio)));

        assertThat(events).extracting(SttEvent::getEventCase).containsExactly(
                SttEvent.EventCase.SPEECH_STARTED, SttEvent.EventCase.SPEECH_ENDED, SttEvent.EventCase.FINAL);
        int started = events.get(0).getSpeechStarted().getAtMs();
        int ended = events.get(1).getSpeechEnded().getAtMs();
        assertThat(started).as("speech starts").isBetween(2000 + bounds[0] - 100, 2000 + bounds[0] + 150);
        assertThat(ended).as("speech ends").isBetween(2000 + bounds[1] - 150, 2000 + bounds[1] + 200);
        Transcript t = events.get(2).getFinal();
        assertThat(t.getText()).isEqualTo(COMMAND);
        assertThat(t.getCommand()).isTrue();
        assertThat(t.getEngine()).isEqualTo("pocketsphinx");
        assertThat(t.getUtterance()).isZero();
        assertThat(t.getStartMs()).as("pre-roll before the start").isBetween(started - 350, started - 250);
        assertThat(t.getEndMs()).isGreaterThanOrEqualTo(ended).isLessThan(ended + 400);
        assertThat(t.getConfidence()).isBetween(0.5f, 1f);
        assertThat(t.getComputeMs()).isPositive();
        assertThat(t.getWordsList()).extracting(w -> w.getWord()).containsExactly("turn", "on", "the", "kitchen", "light");
        // Word timings are in the call's audio, inside the utterance (the forward pass may give a word
        // the silence next to it, so the first word can start in the pre-roll).
        assertThat(t.getWords(0).getStartMs()).isBetween(t.getStartMs(), started + 200);
        assertThat(t.getWords(4).getEndMs()).isBetween(ended - 200, t.getEndMs());
        assertThat(t.getWords(2).getStartMs()).isGreaterThan(t.getWords(1).getStartMs());
    }

    /** Only the speech: flite's own leading and trailing quiet cut off. */
    static short[] trimmed(short[] speech) {
        int[] bounds = speechBoundsMs(speech);
        return java.util.Arrays.copyOfRange(speech, bounds[0] * Speech.RATE / 1000, (bounds[1] + 1) * Speech.RATE / 1000);
    }

    double speculativeDecodes(String outcome) {
        var counter = registry.find("hearth_stt_speculative_decodes").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theDecodeStartedDuringAPauseIsUsedWhenThePauseEndsTheUtteranceAndDroppedWhenSpeechGoesOn() {
        requireEngines();
        // A pause of 400 ms inside the command: longer than the 100 ms tail (a decode starts), shorter
        // than the 600 ms minimum silence (the utterance goes on). Then 1.5 s of silence ends it.
        short[] audio = Speech.concat(Speech.silence(500), trimmed(Speech.say("slt", "turn on the")), Speech.silence(400),
                trimmed(Speech.say("slt", "kitchen light")), Speech.silence(1500));
        double used = speculativeDecodes("used");
        double dropped = speculativeDecodes("dropped");

        List<Transcript> finals = finals(calls.run(utterance(vad(), Speech.bytes(audio))));

        assertThat(finals).extracting(Transcript::getText).as("one utterance, all of it")
                .containsExactly(COMMAND);
        assertThat(speculativeDecodes("dropped") - dropped).as("the decode started in the pause was dropped")
                .isEqualTo(1);
        assertThat(speculativeDecodes("used") - used).as("the decode started in the final silence gave the transcript")
                .isEqualTo(1);
    }

    @Test
    void twoUtterancesSeparatedBySilenceGiveTwoFinals() {
        requireEngines();
        short[] audio = Speech.concat(Speech.silence(500), Speech.say("slt", COMMAND), Speech.silence(1500),
                Speech.say("kal16", OTHER), Speech.silence(1000));

        List<Transcript> finals = finals(calls.run(utterance(vad(), Speech.bytes(audio))));

        assertThat(finals).extracting(Transcript::getText).containsExactly(COMMAND, OTHER);
        assertThat(finals).extracting(Transcript::getUtterance).containsExactly(0, 1);
        assertThat(finals.get(1).getStartMs()).isGreaterThan(finals.get(0).getEndMs());
    }

    @Test
    void anUtteranceLongerThanMaxUtteranceIsCut() {
        requireEngines();
        short[] speech = Speech.say("slt", "turn on the kitchen light and close the garage door and turn off the television");
        List<SttEvent> events = calls.run(utterance(vad().setMaxUtteranceMs(1500), Speech.bytes(
                Speech.concat(Speech.silence(300), speech, Speech.silence(800)))));

        List<Transcript> finals = finals(events);
        assertThat(finals.size()).as("cut into pieces of at most 1.5 s").isGreaterThanOrEqualTo(speech.length / 24000);
        assertThat(finals.get(0).getEndMs() - finals.get(0).getStartMs()).isLessThanOrEqualTo(1500);
    }

    @Test
    void singleUtteranceEndsTheCallAfterTheFirstFinal() {
        requireEngines();
        short[] audio = Speech.concat(Speech.silence(300), Speech.say("slt", COMMAND), Speech.silence(1200),
                Speech.say("slt", OTHER), Speech.silence(1000));
        List<SttInput> inputs = new ArrayList<>();
        inputs.add(config(vad().setSingleUtterance(true)));
        inputs.addAll(SttCalls.chunks(Speech.bytes(audio), 3200));
        // The caller never half-closes: the service ends the call itself.
        List<SttEvent> events = stt.transcribe(Multi.createBy().concatenating().streams(
                        Multi.createFrom().iterable(inputs), Multi.createFrom().nothing()))
                .collect().asList().await().atMost(Duration.ofSeconds(60));

        assertThat(finals(events)).extracting(Transcript::getText).containsExactly(COMMAND);
    }

    @Test
    void withoutVadTheWholeInputIsOneUtterance() {
        requireEngines();
        short[] audio = Speech.concat(Speech.silence(1000), Speech.say("awb", OTHER), Speech.silence(1000));
        List<SttEvent> events = calls.run(utterance(SttConfig.newBuilder().setVad(false), Speech.bytes(audio)));

        assertThat(events).extracting(SttEvent::getEventCase).containsExactly(SttEvent.EventCase.FINAL);
        Transcript t = events.get(0).getFinal();
        assertThat(t.getText()).isEqualTo(OTHER);
        assertThat(t.getStartMs()).isZero();
        assertThat(t.getEndMs()).isBetween(audio.length * 1000 / 16000 - 1, audio.length * 1000 / 16000);
    }

    @Test
    void otherSampleRatesAndOddChunksAreResampled() {
        requireEngines();
        short[] speech16 = Speech.concat(Speech.silence(400), Speech.say("slt", COMMAND), Speech.silence(900));
        for (int rate : new int[] {8000, 44100}) {
            byte[] pcm = Speech.bytes(Resampler.resample(speech16, 16000, rate));
            List<SttInput> inputs = new ArrayList<>();
            inputs.add(config(vad().setSampleRate(rate)));
            inputs.addAll(SttCalls.chunks(pcm, 333)); // odd sizes: samples split across chunks
            inputs.add(end());
            assertThat(finals(calls.run(inputs))).as(rate + " Hz").extracting(Transcript::getText).containsExactly(COMMAND);
        }
    }

    @Test
    void badInputGetsClearErrorsWhileAGoodCallGoesOn() {
        requireEngines();
        short[] audio = Speech.concat(Speech.silence(300), Speech.say("rms", COMMAND), Speech.silence(900));
        CompletableFuture<List<SttEvent>> good = stt.transcribe(Multi.createFrom().iterable(
                utterance(vad(), Speech.bytes(audio)))).collect().asList().subscribeAsCompletionStage();
        byte[] some = Speech.bytes(Speech.silence(100));

        assertInvalid(calls.failure(List.of(config(vad().setSampleRate(7)), audio(some))), "sample_rate 7");
        assertInvalid(calls.failure(List.of(config(vad().setSampleRate(200000)))), "sample_rate 200000");
        assertInvalid(calls.failure(List.of(config(vad().setFormat("opus")))), "format 'opus'");
        assertInvalid(calls.failure(List.of(config(vad().setFormat("pcm_f32le")))), "format 'pcm_f32le'");
        assertInvalid(calls.failure(List.of(audio(some), config(vad()))), "before config");
        assertInvalid(calls.failure(List.of(end())), "before config");
        assertInvalid(calls.failure(List.of(config(vad()), audio(some), config(vad()))), "second config");
        assertInvalid(calls.failure(List.of()), "ended before a config");
        assertInvalid(calls.failure(List.of(SttInput.getDefaultInstance())), "neither config");
        assertInvalid(calls.failure(List.of(config(vad().setEngine("whisper-local")))), "unknown engine 'whisper-local'");
        assertInvalid(calls.failure(List.of(config(vad().setMaxUtteranceMs(-5)))), "max_utterance_ms -5");
        assertInvalid(calls.failure(List.of(config(vad().setMinSilenceMs(50)))), "min_silence_ms 50");

        assertThat(finals(good.join())).extracting(Transcript::getText).containsExactly(COMMAND);
        // And the service still serves.
        assertThat(finals(calls.run(utterance(vad(), Speech.bytes(audio))))).extracting(Transcript::getText)
                .containsExactly(COMMAND);
    }

    static void assertInvalid(Status status, String message) {
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).startsWith("invalid_message: ").contains(message);
    }

    @Test
    void anEmptyCallEndsQuietly() {
        requireEngines();
        assertThat(calls.run(List.of(config(vad()), end()))).isEmpty();
        assertThat(calls.run(List.of(config(SttConfig.newBuilder())))).isEmpty();
    }

    @Test
    void tenMinutesOfSilenceKeepOnlyThePreRoll() {
        requireEngines();
        byte[] second = Speech.bytes(Speech.noise(1000, 20, 7)); // a quiet room, not digital zero
        AtomicLong peak = new AtomicLong();
        Multi<SttInput> inputs = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(config(vad().setNoSpeechTimeoutMs(20 * 60_000))),
                Multi.createFrom().range(0, 600).map(i -> {
                    peak.accumulateAndGet(metrics.bufferedSamples(), Math::max);
                    return audio(second);
                }),
                Multi.createFrom().item(end()));

        List<SttEvent> events = stt.transcribe(inputs).collect().asList().await().atMost(Duration.ofSeconds(120));

        assertThat(events).as("no speech, no events").isEmpty();
        assertThat(peak.get()).as("samples held while 10 minutes of silence streamed").isLessThan(16_000);
    }

    @Test
    void silenceFailsTheCallAfterTheNoSpeechTimeout() {
        requireEngines();
        List<SttInput> inputs = utterance(vad(), Speech.bytes(Speech.noise(16_000, 20, 9)));
        Status status = calls.failure(inputs);
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).startsWith("no_speech:");
    }
}
