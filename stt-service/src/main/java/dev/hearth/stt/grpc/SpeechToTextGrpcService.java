package dev.hearth.stt.grpc;

import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;

/** The speech-to-text contract; no engine is wired in yet, so every call says so. */
@GrpcService
public class SpeechToTextGrpcService extends MutinySpeechToTextGrpc.SpeechToTextImplBase {

    @Override
    public Multi<SttEvent> transcribe(Multi<SttInput> request) {
        return Multi.createFrom().failure(Status.UNIMPLEMENTED
                .withDescription("speech-to-text is not available yet: no engine is configured in this build")
                .asRuntimeException());
    }
}
