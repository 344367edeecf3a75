package dev.hearth.tts.grpc;

import com.google.protobuf.ByteString;
import dev.hearth.proto.v1.AudioData;
import dev.hearth.proto.v1.AudioFormat;
import dev.hearth.proto.v1.MutinyTextToSpeechGrpc;
import dev.hearth.proto.v1.TtsConfig;
import dev.hearth.proto.v1.TtsDone;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import dev.hearth.tts.engine.Pcm;
import dev.hearth.tts.service.Resampler;
import dev.hearth.tts.service.SentenceSplitter;
import dev.hearth.tts.service.SpeechSynthesizer;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TextToSpeech.Synthesize}: {@code config} first, then text as it is written. Audio starts
 * once the first sentence is complete: one {@code format}, {@code audio} per sentence (in chunks),
 * then {@code done}. Cancelling the call cancels the sentence being synthesized (its process dies).
 */
@GrpcService
public class TextToSpeechGrpcService extends MutinyTextToSpeechGrpc.TextToSpeechImplBase {

    /** Audio chunks stay well under gRPC's 4 MiB message limit. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final SpeechSynthesizer synthesizer;

    TextToSpeechGrpcService(SpeechSynthesizer synthesizer) {
        this.synthesizer = synthesizer;
    }

    @Override
    public Multi<TtsOutput> synthesize(Multi<TtsInput> request) {
        return Multi.createFrom().deferred(() -> {
            Call call = new Call();
            return request.onItem().transformToIterable(call::accept)
                    .onCompletion().switchTo(() -> Multi.createFrom().iterable(call.finish()))
                    .onItem().transformToMultiAndConcatenate(call::speak)
                    .onCompletion().continueWith(TtsOutput.newBuilder().setDone(TtsDone.getDefaultInstance()).build())
                    .onFailure().transform(SpeechSynthesizer::toStatus);
        });
    }

    /** One call's state: its plan, its splitter, what it has said. */
    private final class Call {
        private final SentenceSplitter splitter = new SentenceSplitter();
        private SpeechSynthesizer.Plan plan;
        private int formatRate;
        private long chars;
        private int speakable;

        List<String> accept(TtsInput input) {
            switch (input.getInputCase()) {
                case CONFIG -> {
                    if (plan != null) {
                        throw invalid("config may only be sent once, as the first message");
                    }
                    TtsConfig config = input.getConfig();
                    plan = synthesizer.plan(config.getEngine(), config.getVoice(), config.getLanguage(),
                            config.getSampleRate());
                    return List.of();
                }
                case TEXT -> {
                    requireConfig();
                    chars += input.getText().length();
                    int max = synthesizer.settings().maxTextChars();
                    if (chars > max) {
                        throw invalid("text exceeds the limit of " + max + " characters per request");
                    }
                    return count(splitter.push(input.getText()));
                }
                case FLUSH -> {
                    requireConfig();
                    return count(splitter.flush());
                }
                default -> throw invalid("empty message: each TtsInput carries config, text or flush");
            }
        }

        List<String> finish() {
            requireConfig();
            List<String> rest = count(splitter.flush());
            if (speakable == 0) {
                throw invalid("no text to synthesize: send text after config");
            }
            return rest;
        }

        private List<String> count(List<String> sentences) {
            List<String> out = new ArrayList<>();
            for (String s : sentences) {
                if (SentenceSplitter.speakable(s)) {
                    speakable++;
                    out.add(s);
                }
            }
            return out;
        }

        private void requireConfig() {
            if (plan == null) {
                throw invalid("the first message must be config (engine, voice, sample_rate)");
            }
        }

        Multi<TtsOutput> speak(String sentence) {
            return Multi.createFrom().uni(synthesizer.speak(plan, sentence))
                    .onItem().transformToIterable(pcm -> outputs(sentence, pcm));
        }

        private List<TtsOutput> outputs(String sentence, Pcm pcm) {
            List<TtsOutput> out = new ArrayList<>();
            if (formatRate == 0) {
                formatRate = pcm.sampleRate();
                out.add(TtsOutput.newBuilder().setFormat(AudioFormat.newBuilder()
                        .setCodec("pcm_s16le").setSampleRate(formatRate).setChannels(1)).build());
            }
            byte[] data = Resampler.resample(pcm, formatRate).data();
            for (int at = 0; at < data.length; at += CHUNK_BYTES) {
                int end = Math.min(data.length, at + CHUNK_BYTES);
                out.add(TtsOutput.newBuilder().setAudio(AudioData.newBuilder()
                        .setData(ByteString.copyFrom(data, at, end - at)).setText(sentence)).build());
            }
            return out;
        }
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
