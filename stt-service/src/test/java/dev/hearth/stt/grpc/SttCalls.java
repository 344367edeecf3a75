package dev.hearth.stt.grpc;

import com.google.protobuf.ByteString;
import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEnd;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.proto.v1.Transcript;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Drives Transcribe over real gRPC: config, audio in chunks, end. */
public final class SttCalls {

    private final MutinySpeechToTextGrpc.MutinySpeechToTextStub stt;

    public SttCalls(MutinySpeechToTextGrpc.MutinySpeechToTextStub stt) {
        this.stt = stt;
    }

    public static SttInput config(SttConfig.Builder config) {
        return SttInput.newBuilder().setConfig(config).build();
    }

    public static SttInput audio(byte[] bytes) {
        return SttInput.newBuilder().setAudio(ByteString.copyFrom(bytes)).build();
    }

    public static SttInput end() {
        return SttInput.newBuilder().setEnd(SttEnd.getDefaultInstance()).build();
    }

    /** {@code pcm} split into chunks of {@code chunkBytes} (odd sizes allowed). */
    public static List<SttInput> chunks(byte[] pcm, int chunkBytes) {
        List<SttInput> out = new ArrayList<>();
        for (int at = 0; at < pcm.length; at += chunkBytes) {
            byte[] chunk = new byte[Math.min(chunkBytes, pcm.length - at)];
            System.arraycopy(pcm, at, chunk, 0, chunk.length);
            out.add(audio(chunk));
        }
        return out;
    }

    /** config, the audio in 100 ms chunks (at the given rate), end. */
    public static List<SttInput> utterance(SttConfig.Builder config, byte[] pcm) {
        List<SttInput> inputs = new ArrayList<>();
        inputs.add(config(config));
        int rate = config.getSampleRate() == 0 ? 16000 : config.getSampleRate();
        inputs.addAll(chunks(pcm, rate / 10 * 2));
        inputs.add(end());
        return inputs;
    }

    public List<SttEvent> run(List<SttInput> inputs) {
        return stt.transcribe(Multi.createFrom().iterable(inputs)).collect().asList().await().atMost(Duration.ofSeconds(120));
    }

    public Status failure(List<SttInput> inputs) {
        Throwable failure = stt.transcribe(Multi.createFrom().iterable(inputs)).collect().asList()
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(120));
        if (failure == null) {
            throw new AssertionError("the call should have failed");
        }
        return Status.fromThrowable(failure);
    }

    public static List<Transcript> finals(List<SttEvent> events) {
        return events.stream().filter(SttEvent::hasFinal).map(SttEvent::getFinal).toList();
    }
}
