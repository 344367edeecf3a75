package dev.hearth.router.history;

import dev.hearth.proto.v1.AppendMessagesRequest;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.router.client.HistoryClient;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A conversation's history: recent messages from Redis first, from PostgreSQL (through
 * mcp-config-service, the source of truth) on a miss, which then refills Redis. A turn's messages
 * go to PostgreSQL, then Redis. Only the conversation's owner may read or continue it.
 */
@ApplicationScoped
public class ConversationHistory {

    private static final Logger LOG = Logger.getLogger(ConversationHistory.class);

    /**
     * The messages a turn starts from. {@code cached}: Redis holds exactly these, so the turn's
     * messages may extend its list.
     */
    public record Past(List<StoredMessage> messages, boolean cached) {

        public static final Past NEW = new Past(List.of(), true);
    }

    private final RecentMessages redis;
    private final HistoryClient postgres;

    public ConversationHistory(RecentMessages redis, HistoryClient postgres) {
        this.redis = redis;
        this.postgres = postgres;
    }

    /** Fails with PERMISSION_DENIED when the conversation belongs to another user. */
    public Uni<Past> recent(String conversationId, String userId, String profile) {
        return redis.read(conversationId).chain(cached -> {
            if (cached.isPresent()) {
                if (!cached.get().owner().equals(userId)) {
                    return Uni.createFrom().failure(notYours(conversationId));
                }
                return Uni.createFrom().item(new Past(cached.get().messages(), true));
            }
            return postgres.claim(conversationId, userId, profile)
                    .chain(() -> postgres.recent(conversationId, userId))
                    .chain(messages -> redis.replace(conversationId, userId, messages)
                            .map(refilled -> new Past(messages, refilled)));
        });
    }

    /** Stores a turn's messages; never fails (a lost write is logged). */
    public Uni<Void> append(String conversationId, String userId, String profile, List<StoredMessage> messages,
            boolean cached) {
        AppendMessagesRequest request = AppendMessagesRequest.newBuilder()
                .setConversationId(conversationId).setUserId(userId).setProfile(profile)
                .addAllMessages(messages).build();
        return postgres.append(request)
                .chain(() -> redis.append(conversationId, userId, messages, cached))
                .replaceWithVoid()
                .onFailure().call(failure -> {
                    LOG.warnf("history of conversation %s not stored: %s", conversationId, failure.getMessage());
                    // Redis must not know more than PostgreSQL: the next turn reads the truth.
                    return redis.forget(conversationId);
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static RuntimeException notYours(String conversationId) {
        return Status.PERMISSION_DENIED.withDescription("conversation " + conversationId + " belongs to another user")
                .asRuntimeException();
    }
}
