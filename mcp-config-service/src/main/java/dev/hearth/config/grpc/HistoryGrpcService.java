package dev.hearth.config.grpc;

import dev.hearth.config.repository.HistoryRepository;
import dev.hearth.proto.v1.AppendMessagesRequest;
import dev.hearth.proto.v1.AppendMessagesResponse;
import dev.hearth.proto.v1.GetHistoryRequest;
import dev.hearth.proto.v1.GetHistoryResponse;
import dev.hearth.proto.v1.MutinyHistoryServiceGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** Conversation history for the router. */
@GrpcService
public class HistoryGrpcService extends MutinyHistoryServiceGrpc.HistoryServiceImplBase {

    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 50;

    private final HistoryRepository history;

    public HistoryGrpcService(HistoryRepository history) {
        this.history = history;
    }

    @Override
    public Uni<AppendMessagesResponse> appendMessages(AppendMessagesRequest request) {
        if (request.getUserId().isBlank()) {
            return invalid("user_id is required");
        }
        String conversationId = request.getConversationId().isBlank()
                ? UUID.randomUUID().toString()
                : request.getConversationId();
        return history.append(conversationId, request.getUserId(), request.getProfile(), request.getMessagesList())
                .map(ids -> AppendMessagesResponse.newBuilder().setConversationId(conversationId).addAllIds(ids).build());
    }

    @Override
    public Uni<GetHistoryResponse> getHistory(GetHistoryRequest request) {
        if (request.getConversationId().isBlank()) {
            return invalid("conversation_id is required");
        }
        if (request.getLimit() < 0 || request.getLimit() > MAX_LIMIT) {
            return invalid("limit must be between 0 and " + MAX_LIMIT);
        }
        int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : request.getLimit();
        return history.recent(request.getConversationId(), limit).map(found -> {
            HistoryRepository.Recent recent = found.orElseThrow(() -> Status.NOT_FOUND
                    .withDescription("no conversation " + request.getConversationId()).asRuntimeException());
            if (!request.getUserId().isBlank() && !request.getUserId().equals(recent.owner())) {
                throw Status.PERMISSION_DENIED.withDescription("conversation " + request.getConversationId()
                        + " belongs to another user").asRuntimeException();
            }
            return GetHistoryResponse.newBuilder()
                    .setConversationId(request.getConversationId()).addAllMessages(recent.messages()).build();
        });
    }

    private static <T> Uni<T> invalid(String why) {
        return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException());
    }
}
