package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.McpServer;
import dev.hearth.config.aggregator.UpstreamStatus;
import dev.hearth.config.aggregator.UpstreamTool;
import java.util.List;

/**
 * {@code GET /admin/v1/mcp-servers/{name}/tools}: the upstream's live state and the tools it last
 * listed, each with the name the catalog offers it under and whether it is switched on.
 *
 * @param state       connecting, ready, failed or disabled
 * @param lastRefresh when the tools were last listed (ISO-8601); null before the first listing
 * @param lastError   why the last attempt failed; empty when it did not
 */
public record McpServerToolsResponse(
        String server,
        String state,
        @JsonProperty("last_refresh") String lastRefresh,
        @JsonProperty("last_error") String lastError,
        List<Tool> tools) {

    public record Tool(String name, @JsonProperty("catalog_name") String catalogName, String description,
            boolean enabled) {
    }

    static McpServerToolsResponse of(McpServer server, UpstreamStatus status) {
        List<Tool> tools = status.tools().stream()
                .map(t -> new Tool(t.name(), UpstreamTool.namespaced(server.name(), t.name()),
                        t.description() == null ? "" : t.description(),
                        server.enabled() && !server.disabledTools().contains(t.name())))
                .toList();
        return new McpServerToolsResponse(server.name(), status.state().name().toLowerCase(),
                status.lastRefresh() == null ? null : status.lastRefresh().toString(), status.lastError(), tools);
    }
}
