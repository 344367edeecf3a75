package dev.hearth.stt.grpc;

import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.stt.service.Transcriber;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;

/**
 * {@code SpeechToText.Transcribe}. Also called in-process (the Wyoming server): nothing here
 * depends on a gRPC context.
 */
@GrpcService
public class SpeechToTextGrpcService extends MutinySpeechToTextGrpc.SpeechToTextImplBase {

    private final Transcriber transcriber;

    public SpeechToTextGrpcService(Transcriber transcriber) {
        this.transcriber = transcriber;
    }

    @Override
    public Multi<SttEvent> transcribe(Multi<SttInput> request) {
        return transcriber.transcribe(request);
    }
}
