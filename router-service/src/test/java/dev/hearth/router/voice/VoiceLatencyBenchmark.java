package dev.hearth.router.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.VoiceLedger;
import dev.hearth.proto.v1.VoiceStart;
import dev.hearth.router.FakeDownstream;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What the router adds to a spoken turn: from the end of the user's speech (the fake stt-service
 * sends speech_ended and the final at once) to the first answer audio at the caller, with the fake
 * model and fake synthesis answering at once, over real gRPC on loopback. Prints percentiles of
 * that and of each ledger stage. Not a test (surefire runs *Test classes only); run it with
 * <pre>
 * ./mvnw -o -pl router-service test -Dtest=VoiceLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * ({@code -Dvoice.benchmark.turns=N}, default 200).
 */
@QuarkusTest
@TestProfile(VoiceCallTest.PatientModel.class)
class VoiceLatencyBenchmark {

    @GrpcClient("self")
    io.grpc.Channel channel;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @Test
    void endOfSpeechToFirstAudio() {
        FakeDownstream.ensureStarted(downstreamPort);
        int turns = Integer.getInteger("voice.benchmark.turns", 200);
        int warmup = Math.min(50, turns / 4);
        VoiceStart start = VoiceStart.newBuilder().setRequestId("bench-" + UUID.randomUUID()).setUserId("bench")
                .setContinuous(true).build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        org.awaitility.Awaitility.await().until(() -> FakeSpeechToText.SESSIONS.containsKey(start.getRequestId()));
        FakeSpeechToText.Session stt = FakeSpeechToText.SESSIONS.get(start.getRequestId());

        List<Double> client = new ArrayList<>();
        List<VoiceLedger> ledgers = new ArrayList<>();
        for (int i = 0; i < warmup + turns; i++) {
            int turn = i;
            stt.speechStarted(0);
            long ended = System.nanoTime();
            stt.speechEnded(1000);
            stt.finalText("turn on the lamp");
            call.awaitEvent(e -> e.hasAudio() && e.getAudio().getTurn() == turn);
            long firstAudio = call.arrival(e -> e.hasAudio() && e.getAudio().getTurn() == turn).nanos();
            // the answer plays for 180 ms; the next utterance waits for the turn's end
            ChatEvent done = call.awaitEvent(e -> e.hasVoiceTurn() && e.getVoiceTurn().getTurn() == turn);
            if (i >= warmup) {
                client.add((firstAudio - ended) / 1e6);
                ledgers.add(done.getVoiceTurn().getLedger());
            }
        }
        call.stop();
        call.awaitEnd();
        assertThat(client).hasSize(turns);

        System.out.printf("%nVoice turn latency over %d turns (fake STT/LLM/TTS answering at once; ms)%n", turns);
        print("speech end -> first audio at caller", client);
        print("ledger final_transcript", stage(ledgers, VoiceLedger::getFinalTranscriptMs));
        print("ledger first_token", stage(ledgers, VoiceLedger::getFirstTokenMs));
        print("ledger first_audio_synthesized", stage(ledgers, VoiceLedger::getFirstAudioSynthesizedMs));
        print("ledger first_audio_sent", stage(ledgers, VoiceLedger::getFirstAudioSentMs));
    }

    private static List<Double> stage(List<VoiceLedger> ledgers, ToIntFunction<VoiceLedger> field) {
        return ledgers.stream().map(l -> (double) field.applyAsInt(l)).toList();
    }

    private static void print(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("  %-38s p50 %6.2f  p90 %6.2f  p99 %6.2f  max %6.2f%n", what, at(sorted, 0.5), at(sorted, 0.9),
                at(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(quantile * sorted.size())));
    }
}
