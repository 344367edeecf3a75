package dev.hearth.router.client;

import dev.hearth.proto.v1.SpeechToTextGrpc;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.router.config.VoiceConfig;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * stt-service's {@code Transcribe}: one call per voice call, audio in as it arrives, speech events
 * and transcripts out. The call's deadline is the voice call's longest life.
 */
@ApplicationScoped
public class SpeechToTextClient {

    private final SpeechToTextGrpc.SpeechToTextStub stt;
    private final VoiceConfig settings;

    // The async stub, so that a cancel reaches stt-service (the Mutiny stub would leave the call running).
    public SpeechToTextClient(@GrpcClient("stt") io.grpc.Channel channel, VoiceConfig settings) {
        this.stt = SpeechToTextGrpc.newStub(channel);
        this.settings = settings;
    }

    public DuplexCall<SttInput, SttEvent> transcribe(DuplexCall.Listener<SttEvent> listener) {
        return DuplexCall.open(
                stt.withDeadlineAfter(settings.maxCallDuration().toMillis() + 5_000, TimeUnit.MILLISECONDS)::transcribe,
                listener, input -> input.getAudio().size(), settings.maxPendingAudioBytes());
    }
}
