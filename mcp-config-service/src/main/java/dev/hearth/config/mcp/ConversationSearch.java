package dev.hearth.config.mcp;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Finds a user's messages containing a text, newest first. A case-insensitive substring match
 * (ILIKE) rather than full-text search: it finds names, numbers and words in any language alike,
 * and a home's history is small. Only the user's own conversations are searched.
 */
@ApplicationScoped
public class ConversationSearch {

    /** Characters of context kept around the match in each snippet. */
    static final int CONTEXT = 120;

    private final Pool pool;

    public ConversationSearch(Pool pool) {
        this.pool = pool;
    }

    public Uni<JsonArray> search(String userId, String text, int limit) {
        return pool.preparedQuery("""
                        SELECT m.id, m.conversation_id, m.role, m.content, m.created_at, c.title, c.profile
                          FROM messages m
                          JOIN conversations c ON c.id = m.conversation_id
                         WHERE c.user_id = $1
                           AND m.role IN ('user', 'assistant')
                           AND m.content ILIKE $2 ESCAPE '\\'
                         ORDER BY m.id DESC
                         LIMIT $3""")
                .execute(Tuple.of(userId, "%" + escapeLike(text) + "%", limit))
                .map(rows -> {
                    JsonArray hits = new JsonArray();
                    for (Row row : rows) {
                        hits.add(hit(row, text));
                    }
                    return hits;
                });
    }

    private static JsonObject hit(Row row, String text) {
        JsonObject hit = new JsonObject()
                .put("conversation_id", row.getString("conversation_id"))
                .put("message_id", row.getLong("id"))
                .put("role", row.getString("role"))
                .put("snippet", snippet(row.getString("content"), text));
        OffsetDateTime created = row.getOffsetDateTime("created_at");
        if (created != null) {
            hit.put("created_at", created.toInstant().toString());
        }
        if (row.getString("title") != null) {
            hit.put("conversation_title", row.getString("title"));
        }
        if (row.getString("profile") != null) {
            hit.put("profile", row.getString("profile"));
        }
        return hit;
    }

    /** The match with some context either side, so a long message does not flood the model. */
    static String snippet(String content, String text) {
        // Lower-casing may change lengths (rare letters): clamp rather than trust the index blindly.
        int at = Math.min(Math.max(0, content.toLowerCase(Locale.ROOT).indexOf(text.toLowerCase(Locale.ROOT))),
                content.length());
        int from = Math.max(0, at - CONTEXT);
        int to = Math.min(content.length(), at + text.length() + CONTEXT);
        return (from > 0 ? "…" : "") + content.substring(from, to) + (to < content.length() ? "…" : "");
    }

    /** LIKE treats % and _ as wildcards; the user's text is literal. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
