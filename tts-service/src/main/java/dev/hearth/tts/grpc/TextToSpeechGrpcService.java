package dev.hearth.tts.grpc;

import dev.hearth.proto.v1.MutinyTextToSpeechGrpc;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;

/** The text-to-speech contract; no engine is wired in yet, so every call says so. */
@GrpcService
public class TextToSpeechGrpcService extends MutinyTextToSpeechGrpc.TextToSpeechImplBase {

    @Override
    public Multi<TtsOutput> synthesize(Multi<TtsInput> request) {
        return Multi.createFrom().failure(Status.UNIMPLEMENTED
                .withDescription("text-to-speech is not available yet: no engine is configured in this build")
                .asRuntimeException());
    }
}
