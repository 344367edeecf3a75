package dev.hearth.router.client;

import dev.hearth.proto.v1.AppendMessagesRequest;
import dev.hearth.proto.v1.AppendMessagesResponse;
import dev.hearth.proto.v1.GetHistoryRequest;
import dev.hearth.proto.v1.MutinyHistoryServiceGrpc;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.router.config.RouterConfig;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;

/** Conversation history in mcp-config-service (PostgreSQL). */
@ApplicationScoped
public class HistoryClient {

    private final MutinyHistoryServiceGrpc.MutinyHistoryServiceStub history;
    private final RouterConfig settings;

    public HistoryClient(@GrpcClient("config") MutinyHistoryServiceGrpc.MutinyHistoryServiceStub history,
            RouterConfig settings) {
        this.history = history;
        this.settings = settings;
    }

    /** The conversation's recent messages, oldest first; empty for a conversation not stored yet. */
    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = TransientGrpcFailure.class)
    public Uni<List<StoredMessage>> recent(String conversationId, String userId) {
        return history.withDeadlineAfter(settings.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getHistory(GetHistoryRequest.newBuilder()
                        .setConversationId(conversationId).setUserId(userId).setLimit(settings.historyLimit()).build())
                .map(response -> response.getMessagesList())
                .onFailure(f -> Status.fromThrowable(f).getCode() == Status.Code.NOT_FOUND)
                .recoverWithItem(List.of());
    }

    /**
     * Makes sure {@code userId} owns the conversation, creating it for them when it does not exist:
     * an append of no messages, which mcp-config refuses with PERMISSION_DENIED for another owner.
     * Claimed first, a new conversation is owned before anything is read or written; GetHistory
     * then checks the owner itself (its user_id).
     */
    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = TransientGrpcFailure.class)
    public Uni<Void> claim(String conversationId, String userId, String profile) {
        return history.withDeadlineAfter(settings.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .appendMessages(AppendMessagesRequest.newBuilder()
                        .setConversationId(conversationId).setUserId(userId).setProfile(profile).build())
                .replaceWithVoid();
    }

    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = TransientGrpcFailure.class)
    public Uni<AppendMessagesResponse> append(AppendMessagesRequest request) {
        return history.withDeadlineAfter(settings.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .appendMessages(request);
    }
}
