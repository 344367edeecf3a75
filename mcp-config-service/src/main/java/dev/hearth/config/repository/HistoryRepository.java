package dev.hearth.config.repository;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.ToolCall;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Conversations and their messages. A conversation belongs to the user who started it. */
@ApplicationScoped
public class HistoryRepository {

    private final Pool pool;

    public HistoryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Appends in one transaction, creating the conversation on first use; returns the new ids. */
    public Uni<List<Long>> append(String conversationId, String userId, String profile, List<StoredMessage> messages) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        INSERT INTO conversations (id, user_id, profile) VALUES ($1, $2, $3)
                        ON CONFLICT (id) DO UPDATE SET updated_at = now()
                        RETURNING user_id""")
                .execute(Tuple.of(conversationId, userId, profile.isBlank() ? null : profile))
                .chain(rows -> {
                    String owner = rows.iterator().next().getString(0);
                    if (!owner.equals(userId)) {
                        return Uni.createFrom().failure(Status.PERMISSION_DENIED
                                .withDescription("conversation " + conversationId + " belongs to another user")
                                .asRuntimeException());
                    }
                    return insertMessages(tx, conversationId, messages);
                }));
    }

    private static Uni<List<Long>> insertMessages(SqlConnection tx, String conversationId, List<StoredMessage> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Tuple> batch = new ArrayList<>(messages.size());
        for (StoredMessage stored : messages) {
            ChatMessage m = stored.getMessage();
            batch.add(Tuple.tuple()
                    .addString(conversationId)
                    .addString(roleName(m.getRole()))
                    .addString(m.getContent())
                    .addValue(m.getToolCallsCount() == 0 ? null : toolCallsJson(m.getToolCallsList()))
                    .addString(emptyToNull(m.getToolCallId()))
                    .addString(emptyToNull(m.getName()))
                    .addString(finishReasonName(stored.getFinishReason()))
                    .addBoolean(stored.getTruncated())
                    .addString(emptyToNull(stored.getProvider()))
                    .addString(emptyToNull(stored.getModel())));
        }
        return tx.preparedQuery("""
                        INSERT INTO messages (conversation_id, role, content, tool_calls, tool_call_id, name,
                                              finish_reason, truncated, provider, model)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id""")
                .executeBatch(batch)
                .map(HistoryRepository::collectIds);
    }

    private static List<Long> collectIds(RowSet<Row> first) {
        List<Long> ids = new ArrayList<>();
        for (RowSet<Row> set = first; set != null; set = set.next()) {
            set.forEach(row -> ids.add(row.getLong(0)));
        }
        return ids;
    }

    /** A conversation's owner and its newest messages, oldest first. */
    public record Recent(String owner, List<StoredMessage> messages) {
    }

    /** The newest {@code limit} messages, oldest first, and the owner; empty when the conversation does not exist. */
    public Uni<Optional<Recent>> recent(String conversationId, int limit) {
        return pool.preparedQuery("""
                        SELECT c.id AS conversation, c.user_id AS owner, m.id, m.role, m.content, m.tool_calls, m.tool_call_id, m.name,
                               m.finish_reason, m.truncated, m.provider, m.model, m.created_at
                          FROM conversations c
                          LEFT JOIN LATERAL (SELECT * FROM messages WHERE conversation_id = c.id
                                             ORDER BY id DESC LIMIT $2) m ON true
                         WHERE c.id = $1
                         ORDER BY m.id""")
                .execute(Tuple.of(conversationId, limit))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    List<StoredMessage> messages = new ArrayList<>();
                    String owner = null;
                    for (Row row : rows) {
                        owner = row.getString("owner");
                        if (row.getLong("id") != null) {
                            messages.add(toStored(row));
                        }
                    }
                    return Optional.of(new Recent(owner, messages));
                });
    }

    private static StoredMessage toStored(Row row) {
        ChatMessage.Builder message = ChatMessage.newBuilder()
                .setRole(Role.valueOf("ROLE_" + row.getString("role").toUpperCase(Locale.ROOT)))
                .setContent(row.getString("content"));
        if (row.getString("tool_call_id") != null) {
            message.setToolCallId(row.getString("tool_call_id"));
        }
        if (row.getString("name") != null) {
            message.setName(row.getString("name"));
        }
        JsonArray calls = (JsonArray) row.getJson("tool_calls");
        if (calls != null) {
            for (int i = 0; i < calls.size(); i++) {
                JsonObject call = calls.getJsonObject(i);
                message.addToolCalls(ToolCall.newBuilder().setId(call.getString("id", ""))
                        .setName(call.getString("name", "")).setArgumentsJson(call.getString("arguments", "")));
            }
        }
        StoredMessage.Builder stored = StoredMessage.newBuilder()
                .setId(row.getLong("id"))
                .setMessage(message)
                .setTruncated(row.getBoolean("truncated"));
        String finish = row.getString("finish_reason");
        if (finish != null) {
            stored.setFinishReason(FinishReason.valueOf("FINISH_REASON_" + finish.toUpperCase(Locale.ROOT)));
        }
        if (row.getString("provider") != null) {
            stored.setProvider(row.getString("provider"));
        }
        if (row.getString("model") != null) {
            stored.setModel(row.getString("model"));
        }
        OffsetDateTime created = row.getOffsetDateTime("created_at");
        if (created != null) {
            stored.setCreatedAtMs(created.toInstant().toEpochMilli());
        }
        return stored.build();
    }

    private static JsonArray toolCallsJson(List<ToolCall> calls) {
        JsonArray json = new JsonArray();
        calls.forEach(c -> json.add(new JsonObject().put("id", c.getId()).put("name", c.getName())
                .put("arguments", c.getArgumentsJson())));
        return json;
    }

    static String roleName(Role role) {
        return switch (role) {
            case ROLE_SYSTEM -> "system";
            case ROLE_USER -> "user";
            case ROLE_ASSISTANT -> "assistant";
            case ROLE_TOOL -> "tool";
            default -> throw Status.INVALID_ARGUMENT.withDescription("message role is missing").asRuntimeException();
        };
    }

    private static String finishReasonName(FinishReason reason) {
        return switch (reason) {
            case FINISH_REASON_UNSPECIFIED, UNRECOGNIZED -> null;
            default -> reason.name().substring("FINISH_REASON_".length()).toLowerCase(Locale.ROOT);
        };
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
