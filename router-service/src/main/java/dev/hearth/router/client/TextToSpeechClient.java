package dev.hearth.router.client;

import dev.hearth.proto.v1.TextToSpeechGrpc;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import dev.hearth.router.config.VoiceConfig;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** tts-service's {@code Synthesize}: one call per spoken answer, text in as the model writes it. */
@ApplicationScoped
public class TextToSpeechClient {

    /** Text is small; what waits for flow control is bounded anyway. */
    private static final int MAX_PENDING_TEXT = 1 << 20;

    private final TextToSpeechGrpc.TextToSpeechStub tts;
    private final VoiceConfig settings;

    public TextToSpeechClient(@GrpcClient("tts") io.grpc.Channel channel, VoiceConfig settings) {
        this.tts = TextToSpeechGrpc.newStub(channel);
        this.settings = settings;
    }

    public DuplexCall<TtsInput, TtsOutput> synthesize(DuplexCall.Listener<TtsOutput> listener) {
        return DuplexCall.open(
                tts.withDeadlineAfter(settings.ttsCallTimeout().toMillis(), TimeUnit.MILLISECONDS)::synthesize,
                listener, input -> input.getText().length(), MAX_PENDING_TEXT);
    }
}
