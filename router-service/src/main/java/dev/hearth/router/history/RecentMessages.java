package dev.hearth.router.history;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.router.config.HistoryConfig;
import dev.hearth.router.config.RouterConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A conversation's recent messages in Redis: a list of protobuf-encoded {@link StoredMessage}s,
 * oldest first, capped to the history limit, plus its owner, both expiring {@code ttl} after the
 * last write. A cache only: every failure is a miss or a skipped write, never the turn's failure.
 */
@ApplicationScoped
public class RecentMessages {

    private static final Logger LOG = Logger.getLogger(RecentMessages.class);

    /** What Redis holds for a conversation. */
    public record Cached(String owner, List<StoredMessage> messages) {
    }

    private final Redis redis;
    private final HistoryConfig config;
    private final int limit;

    public RecentMessages(Redis redis, HistoryConfig config, RouterConfig router) {
        this.redis = redis;
        this.config = config;
        this.limit = router.historyLimit();
    }

    /** The cached messages; empty on a miss, an unknown owner, or any Redis trouble. */
    public Uni<Optional<Cached>> read(String conversationId) {
        return redis.batch(List.of(
                        Request.cmd(Command.LRANGE).arg(messagesKey(conversationId)).arg(0).arg(-1),
                        Request.cmd(Command.GET).arg(ownerKey(conversationId))))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(responses -> decode(responses.get(0), responses.get(1)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("recent history of %s not read from Redis: %s", conversationId, failure.toString());
                    return Optional.empty();
                });
    }

    /** Puts exactly these messages in place of whatever was cached (after a PostgreSQL read). */
    public Uni<Boolean> replace(String conversationId, String owner, List<StoredMessage> messages) {
        List<Request> tx = new ArrayList<>();
        tx.add(Request.cmd(Command.DEL).arg(messagesKey(conversationId)));
        tx.addAll(push(Command.RPUSH, conversationId, owner, messages));
        return write(conversationId, tx);
    }

    /**
     * Appends a turn's messages. {@code create}: the cache held the whole recent history before
     * the turn (or the conversation is new), so the list may be created; otherwise only an existing
     * list is extended, so a cache that lost the older messages never poses as the history.
     */
    public Uni<Boolean> append(String conversationId, String owner, List<StoredMessage> messages, boolean create) {
        return write(conversationId, push(create ? Command.RPUSH : Command.RPUSHX, conversationId, owner, messages));
    }

    /** Drops the cached messages (PostgreSQL, the source of truth, did not take a write). */
    public Uni<Boolean> forget(String conversationId) {
        return write(conversationId, List.of(Request.cmd(Command.DEL).arg(messagesKey(conversationId))));
    }

    private List<Request> push(Command push, String conversationId, String owner, List<StoredMessage> messages) {
        String key = messagesKey(conversationId);
        long ttl = config.ttl().toMillis();
        List<Request> requests = new ArrayList<>();
        if (!messages.isEmpty()) {
            Request request = Request.cmd(push).arg(key);
            messages.forEach(m -> request.arg(m.toByteArray()));
            requests.add(request);
            requests.add(Request.cmd(Command.LTRIM).arg(key).arg(-limit).arg(-1));
            requests.add(Request.cmd(Command.PEXPIRE).arg(key).arg(ttl));
        }
        requests.add(Request.cmd(Command.SET).arg(ownerKey(conversationId)).arg(owner).arg("PX").arg(ttl));
        return requests;
    }

    /** Runs the requests as one MULTI/EXEC transaction; true when Redis took them. */
    private Uni<Boolean> write(String conversationId, List<Request> requests) {
        List<Request> tx = new ArrayList<>(requests.size() + 2);
        tx.add(Request.cmd(Command.MULTI));
        tx.addAll(requests);
        tx.add(Request.cmd(Command.EXEC));
        return redis.batch(tx)
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(responses -> responses.get(responses.size() - 1) != null)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("recent history of %s not written to Redis: %s", conversationId, failure.toString());
                    return false;
                });
    }

    private static Optional<Cached> decode(Response list, Response owner) {
        if (owner == null || list == null || list.size() == 0) {
            return Optional.empty();
        }
        List<StoredMessage> messages = new ArrayList<>(list.size());
        try {
            for (Response item : list) {
                messages.add(StoredMessage.parseFrom(item.toBytes()));
            }
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty(); // not ours to trust: read PostgreSQL instead
        }
        return Optional.of(new Cached(owner.toString(), messages));
    }

    private String messagesKey(String conversationId) {
        return config.keyPrefix() + conversationId;
    }

    private String ownerKey(String conversationId) {
        return config.keyPrefix() + conversationId + ":owner";
    }
}
