package dev.hearth.tts.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.MutinyTextToSpeechGrpc;
import dev.hearth.proto.v1.TtsConfig;
import dev.hearth.proto.v1.TtsFlush;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import dev.hearth.tts.engine.Audio;
import dev.hearth.tts.engine.ProcessRunner;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class TextToSpeechGrpcServiceTest {

    @GrpcClient("self")
    MutinyTextToSpeechGrpc.MutinyTextToSpeechStub tts;

    @Inject
    ProcessRunner processes;

    static TtsInput config(String engine, String voice, int rate) {
        return TtsInput.newBuilder().setConfig(TtsConfig.newBuilder().setEngine(engine).setVoice(voice)
                .setSampleRate(rate)).build();
    }

    static TtsInput text(String text) {
        return TtsInput.newBuilder().setText(text).build();
    }

    List<TtsOutput> call(TtsInput... inputs) {
        return tts.synthesize(Multi.createFrom().items(inputs)).collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    Status failure(TtsInput... inputs) {
        Throwable failure = tts.synthesize(Multi.createFrom().items(inputs)).collect().asList()
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(30));
        assertThat(failure).as("the call must fail").isNotNull();
        return Status.fromThrowable(failure);
    }

    @Test
    void streamsAudioSentenceBySentenceAsTextArrives() {
        UnicastProcessor<TtsInput> input = UnicastProcessor.create();
        List<TtsOutput> received = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        boolean[] completed = {false};
        tts.synthesize(input).subscribe().with(received::add, failed::set, () -> completed[0] = true);

        input.onNext(config("freetts", "kevin16", 0));
        input.onNext(text("Hello there, Dr. Smith"));
        input.onNext(text(" paid 3.5 euros"));
        // No sentence is complete yet: nothing may be synthesized.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(received::isEmpty);
        input.onNext(text(". How are"));
        // The first sentence is complete: its audio arrives while the rest of the text is still unwritten.
        await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(TtsOutput::hasAudio));
        assertThat(received.get(0).hasFormat()).isTrue();
        assertThat(received.get(0).getFormat().getCodec()).isEqualTo("pcm_s16le");
        assertThat(received.get(0).getFormat().getSampleRate()).isEqualTo(16000);
        assertThat(received.get(0).getFormat().getChannels()).isEqualTo(1);
        assertThat(received.stream().filter(TtsOutput::hasAudio).map(o -> o.getAudio().getText()).distinct())
                .containsExactly("Hello there, Dr. Smith paid 3.5 euros.");
        assertThat(completed[0]).isFalse();

        input.onNext(text(" you today? Fine"));
        input.onComplete();
        await().atMost(Duration.ofSeconds(60)).until(() -> completed[0]);
        assertThat(failed.get()).isNull();
        assertThat(received.stream().filter(TtsOutput::hasFormat)).hasSize(1);
        assertThat(received.get(received.size() - 1).hasDone()).isTrue();
        assertThat(received.stream().filter(TtsOutput::hasAudio).map(o -> o.getAudio().getText()).distinct())
                .containsExactly("Hello there, Dr. Smith paid 3.5 euros.", "How are you today?", "Fine");
    }

    @Test
    void flushSpeaksWhatIsBufferedAndResamplesToTheRequestedRate() {
        Assumptions.assumeTrue(ProcessRunner.installed("flite"), "flite is not installed: apt-get install flite");
        List<TtsOutput> out = call(config("flite", "slt", 24000), text("no sentence end here"),
                TtsInput.newBuilder().setFlush(TtsFlush.getDefaultInstance()).build(), text("and one more"));
        assertThat(out.get(0).getFormat().getSampleRate()).isEqualTo(24000);
        assertThat(out.stream().filter(TtsOutput::hasAudio).map(o -> o.getAudio().getText()).distinct())
                .containsExactly("no sentence end here", "and one more");
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        out.stream().filter(TtsOutput::hasAudio).forEach(o -> pcm.writeBytes(o.getAudio().getData().toByteArray()));
        double seconds = pcm.size() / 2.0 / 24000;
        assertThat(seconds).isBetween(1.0, 6.0);
        assertThat(Audio.rms(pcm.toByteArray())).isGreaterThan(300);
    }

    @Test
    void picksEspeakForOtherLanguagesWhenNoEngineIsNamed() {
        Assumptions.assumeTrue(ProcessRunner.installed("espeak-ng"), "espeak-ng is not installed: apt-get install espeak-ng");
        List<TtsOutput> out = call(TtsInput.newBuilder().setConfig(TtsConfig.newBuilder().setLanguage("de")).build(),
                text("Guten Morgen. Wie geht es dir?"));
        assertThat(out.get(0).getFormat().getSampleRate()).isEqualTo(22050);
        assertThat(out.stream().filter(TtsOutput::hasAudio).map(o -> o.getAudio().getText()).distinct())
                .containsExactly("Guten Morgen.", "Wie geht es dir?");
    }

    @Test
    void theVoiceNamesItsEngineWhenNoEngineIsGiven() {
        // kevin16 belongs to FreeTTS only; "freetts:kevin" names engine and voice at once (as Wyoming clients do).
        assertThat(call(config("", "kevin16", 0), text("Hi.")).get(0).getFormat().getSampleRate()).isEqualTo(16000);
        assertThat(call(config("", "freetts:kevin", 0), text("Hi.")).get(0).getFormat().getSampleRate()).isEqualTo(8000);
    }

    @Test
    void cancellingTheCallKillsTheEngineProcess() {
        Assumptions.assumeTrue(ProcessRunner.installed("flite"), "flite is not installed: apt-get install flite");
        UnicastProcessor<TtsInput> input = UnicastProcessor.create();
        // Cancelling a Mutiny stub's subscription does not cancel the gRPC call in Quarkus 3.32
        // (quarkusio/quarkus#41776); cancelling its gRPC Context does, as a real caller going away.
        io.grpc.Context.CancellableContext call = io.grpc.Context.current().withCancellation();
        call.run(() -> tts.synthesize(input).subscribe().with(item -> { }, failure -> { }));
        input.onNext(config("flite", "kal", 0));
        StringBuilder longText = new StringBuilder();
        for (int i = 0; longText.length() < 15000; i++) {
            longText.append("word ").append(i).append(" and some more words here ");
        }
        input.onNext(text(longText.toString()));
        input.onNext(TtsInput.newBuilder().setFlush(TtsFlush.getDefaultInstance()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> !processes.running().isEmpty());
        Set<ProcessHandle> running = processes.running();
        call.cancel(null);
        await().atMost(Duration.ofSeconds(3)).until(() -> running.stream().noneMatch(ProcessHandle::isAlive));
        await().atMost(Duration.ofSeconds(3)).until(() -> processes.running().isEmpty());
    }

    @Test
    void rejectsBadInputClearlyAndKeepsServing() {
        Status noConfig = failure(text("Hello."));
        assertThat(noConfig.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(noConfig.getDescription()).contains("first message must be config");

        Status engine = failure(config("nope", "", 0), text("Hello."));
        assertThat(engine.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(engine.getDescription()).contains("unknown engine 'nope'").contains("freetts");

        Status voice = failure(config("freetts", "nobody", 0), text("Hello."));
        assertThat(voice.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(voice.getDescription()).contains("unknown voice 'nobody'").contains("kevin16");

        Status empty = failure(config("freetts", "", 0), text(""), text(" ... "));
        assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(empty.getDescription()).contains("no text");

        Status oversize = failure(config("freetts", "", 0), text("a".repeat(15000)), text("b".repeat(6000)));
        assertThat(oversize.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(oversize.getDescription()).contains("limit of 20000 characters");

        Status rate = failure(config("freetts", "", 1000), text("Hello."));
        assertThat(rate.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(rate.getDescription()).contains("sample_rate 1000 is out of range");

        Status twice = failure(config("freetts", "", 0), config("freetts", "", 0));
        assertThat(twice.getDescription()).contains("only be sent once");

        assertThat(call(config("freetts", "", 0), text("Still here."))).last().matches(TtsOutput::hasDone);
    }
}
