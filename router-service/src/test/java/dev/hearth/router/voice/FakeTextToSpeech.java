package dev.hearth.router.voice;

import com.google.protobuf.ByteString;
import dev.hearth.proto.v1.AudioData;
import dev.hearth.proto.v1.AudioFormat;
import dev.hearth.proto.v1.TextToSpeechGrpc;
import dev.hearth.proto.v1.TtsConfig;
import dev.hearth.proto.v1.TtsDone;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fake tts-service speaking the real {@code TextToSpeech.Synthesize} contract: a sentence is spoken
 * as soon as it is complete (its end mark and the space after it, or a flush, or the half-close):
 * {@code format} once, then its {@code audio} in two chunks, {@link #MS_PER_WORD} ms of silence per
 * word at the requested rate (16 kHz by default), so playback time is known; then {@code done}.
 * Voice {@code unknown} is refused as tts-service refuses a voice it does not have.
 */
public final class FakeTextToSpeech extends TextToSpeechGrpc.TextToSpeechImplBase {

    public static final int MS_PER_WORD = 60;
    public static final Map<String, Synthesis> CALLS = new ConcurrentHashMap<>();
    private static final Pattern SENTENCE = Pattern.compile("^\\s*(.*?[.!?])\\s+", Pattern.DOTALL);

    /** One Synthesize call: its config, the sentences it spoke, whether it was cancelled. */
    public static final class Synthesis {
        public volatile TtsConfig config;
        public final List<String> spoken = new CopyOnWriteArrayList<>();
        public volatile boolean cancelled;
        public volatile boolean done;
        private final StringBuilder buffer = new StringBuilder();
        private boolean formatSent;
    }

    @Override
    public StreamObserver<TtsInput> synthesize(StreamObserver<TtsOutput> plain) {
        ServerCallStreamObserver<TtsOutput> out = (ServerCallStreamObserver<TtsOutput>) plain;
        Synthesis call = new Synthesis();
        out.setOnCancelHandler(() -> call.cancelled = true);
        return new StreamObserver<>() {
            @Override
            public void onNext(TtsInput input) {
                switch (input.getInputCase()) {
                    case CONFIG -> {
                        call.config = input.getConfig();
                        CALLS.put(input.getConfig().getRequestId(), call);
                        if (input.getConfig().getVoice().equals("unknown")) {
                            out.onError(Status.INVALID_ARGUMENT.withDescription("no voice named 'unknown'").asRuntimeException());
                        }
                    }
                    case TEXT -> {
                        call.buffer.append(input.getText());
                        Matcher m;
                        while ((m = SENTENCE.matcher(call.buffer)).find()) {
                            String sentence = m.group(1);
                            call.buffer.delete(0, m.end());
                            speak(call, out, sentence);
                        }
                    }
                    case FLUSH -> flush(call, out);
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                call.cancelled = true;
            }

            @Override
            public void onCompleted() {
                flush(call, out);
                call.done = true;
                out.onNext(TtsOutput.newBuilder().setDone(TtsDone.getDefaultInstance()).build());
                out.onCompleted();
            }
        };
    }

    private static void flush(Synthesis call, ServerCallStreamObserver<TtsOutput> out) {
        String rest = call.buffer.toString().strip();
        call.buffer.setLength(0);
        if (!rest.isEmpty()) {
            speak(call, out, rest);
        }
    }

    private static void speak(Synthesis call, ServerCallStreamObserver<TtsOutput> out, String sentence) {
        if (call.cancelled) {
            return;
        }
        int rate = call.config.getSampleRate() == 0 ? 16000 : call.config.getSampleRate();
        if (!call.formatSent) {
            call.formatSent = true;
            out.onNext(TtsOutput.newBuilder().setFormat(AudioFormat.newBuilder()
                    .setCodec("pcm_s16le").setSampleRate(rate).setChannels(1)).build());
        }
        int bytes = words(sentence) * MS_PER_WORD * rate / 1000 * 2;
        int half = bytes / 4 * 2; // two chunks of whole samples, as tts-service splits long sentences
        out.onNext(audio(sentence, half));
        out.onNext(audio(sentence, bytes - half));
        call.spoken.add(sentence);
    }

    private static TtsOutput audio(String sentence, int bytes) {
        return TtsOutput.newBuilder().setAudio(AudioData.newBuilder()
                .setData(ByteString.copyFrom(new byte[bytes])).setText(sentence)).build();
    }

    public static int words(String sentence) {
        return sentence.strip().split("\\s+").length;
    }

    /** Milliseconds of audio the fake makes of {@code sentence}. */
    public static int durationMs(String sentence) {
        return words(sentence) * MS_PER_WORD;
    }
}
