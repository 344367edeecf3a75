package dev.hearth.stt.wyoming;

import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.stt.grpc.SpeechToTextGrpcService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

/** Calls {@link SpeechToTextGrpcService#transcribe} directly: same engines, limits and metrics as gRPC callers. */
@ApplicationScoped
public class GrpcTranscriptionPipeline implements TranscriptionPipeline {

    private final SpeechToTextGrpcService service;

    GrpcTranscriptionPipeline(@GrpcService SpeechToTextGrpcService service) {
        this.service = service;
    }

    @Override
    public Multi<SttEvent> transcribe(Multi<SttInput> input) {
        return service.transcribe(input);
    }
}
