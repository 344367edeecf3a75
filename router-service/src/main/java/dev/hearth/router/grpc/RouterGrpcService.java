package dev.hearth.router.grpc;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.router.service.ChatOrchestrator;
import dev.hearth.router.voice.VoiceService;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;

@GrpcService
public class RouterGrpcService extends MutinyRouterGrpc.RouterImplBase {

    private final ChatOrchestrator chats;
    private final VoiceService voices;

    public RouterGrpcService(ChatOrchestrator chats, VoiceService voices) {
        this.chats = chats;
        this.voices = voices;
    }

    /** The first message is the turn; the caller keeps the call open so its cancel reaches us. */
    @Override
    public Multi<ChatEvent> chat(Multi<ChatRequest> requests) {
        return requests.toUni()
                .onItem().ifNull().failWith(() -> Status.INVALID_ARGUMENT
                        .withDescription("the call ended before its ChatRequest").asRuntimeException())
                .onItem().transformToMulti(chats::chat);
    }

    /** A spoken call: {@code start}, audio, optionally {@code stop}; see VoiceCall. */
    @Override
    public Multi<ChatEvent> voice(Multi<VoiceInput> request) {
        return voices.voice(request);
    }
}
