package dev.hearth.config.mcp;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code conversation_search}: what the caller said or was told before, found in their own history. */
@ApplicationScoped
public class ConversationTools {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;
    static final int MAX_QUERY_LENGTH = 200;

    private final ConversationSearch search;
    private final McpCaller caller;

    public ConversationTools(ConversationSearch search, McpCaller caller) {
        this.search = search;
        this.caller = caller;
    }

    @Tool(name = "conversation_search", description = "Searches the caller's own past conversations for messages"
            + " containing a text (case-insensitive), newest first. Returns snippets with their conversation ids.")
    public Uni<ToolResponse> conversationSearch(
            @ToolArg(description = "the text to look for, 1 to 200 characters") String query,
            @ToolArg(description = "how many messages to return, 1 to 50 (default 10)", required = false) Integer limit) {
        if (query == null || query.isBlank() || query.length() > MAX_QUERY_LENGTH) {
            return Uni.createFrom().item(ToolResults.error(ToolResults.INVALID_ARGUMENTS,
                    "`query` must be 1 to " + MAX_QUERY_LENGTH + " characters of text to look for"));
        }
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            return Uni.createFrom().item(ToolResults.error(ToolResults.INVALID_ARGUMENTS,
                    "`limit` must be between 1 and " + MAX_LIMIT + ", not " + limit));
        }
        String text = query.strip();
        return search.search(caller.key().userId(), text, max)
                .map(hits -> ToolResults.success(new JsonObject().put("query", text).put("count", hits.size())
                        .put("messages", hits)));
    }
}
