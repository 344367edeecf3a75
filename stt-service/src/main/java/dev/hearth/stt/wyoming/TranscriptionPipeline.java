package dev.hearth.stt.wyoming;

import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import io.smallrye.mutiny.Multi;

/** Where the Wyoming server's audio goes: the service's own gRPC {@code Transcribe}, in-process. */
public interface TranscriptionPipeline {

    Multi<SttEvent> transcribe(Multi<SttInput> input);
}
