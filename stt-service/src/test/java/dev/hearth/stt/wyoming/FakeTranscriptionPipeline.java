package dev.hearth.stt.wyoming;

import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.proto.v1.Transcript;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the gRPC {@code Transcribe} (enabled by {@link FakePipelineProfile}): it takes
 * the same {@code SttInput} stream, checks it is what the service accepts (config first, 16 kHz
 * s16le, vad off), answers a partial "heard" at the first audio and a final "heard N ms", and
 * keeps every utterance's samples for the test to inspect. Language "xx" fails as the service
 * does for an unsupported one.
 */
@Alternative
@ApplicationScoped
public class FakeTranscriptionPipeline implements TranscriptionPipeline {

    /** What one call received. */
    public record Call(SttConfig config, short[] samples) {
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();

    @Override
    public Multi<SttEvent> transcribe(Multi<SttInput> input) {
        return Multi.createFrom().emitter(emitter -> {
            SttConfig[] config = {null};
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            input.subscribe().with(item -> {
                if (item.hasConfig()) {
                    config[0] = item.getConfig();
                    if (config[0].getLanguage().equals("xx")) {
                        emitter.fail(Status.INVALID_ARGUMENT.withDescription("language xx is not supported")
                                .asRuntimeException());
                    }
                } else if (item.hasAudio()) {
                    if (audio.size() == 0) {
                        emitter.emit(SttEvent.newBuilder().setPartial(Transcript.newBuilder().setText("heard")).build());
                    }
                    audio.writeBytes(item.getAudio().toByteArray());
                }
            }, emitter::fail, () -> {
                if (config[0] == null || config[0].getSampleRate() != 16000 || config[0].getVad()
                        || !config[0].getFormat().equals("pcm_s16le")) {
                    emitter.fail(Status.INVALID_ARGUMENT.withDescription("bad config " + config[0])
                            .asRuntimeException());
                    return;
                }
                short[] samples = new short[audio.size() / 2];
                ByteBuffer.wrap(audio.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
                CALLS.add(new Call(config[0], samples));
                emitter.emit(SttEvent.newBuilder().setFinal(Transcript.newBuilder()
                        .setText("heard " + Math.round(samples.length / 16.0) + " ms").setLanguage(config[0].getLanguage()))
                        .build());
                emitter.complete();
            });
        });
    }
}
