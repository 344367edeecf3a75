package dev.hearth.config.aggregator;

import dev.hearth.config.McpServer;
import dev.hearth.proto.v1.ToolSpec;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A tool of an upstream MCP server as the catalog offers it: {@code <server>__<tool>}. */
public record UpstreamTool(String server, McpSchema.Tool tool) {

    public String name() {
        return namespaced(server, tool.name());
    }

    public static String namespaced(String server, String tool) {
        return server + McpServer.SEPARATOR + tool;
    }

    /** Description and input schema pass through as the upstream gave them. */
    public ToolSpec spec() {
        Map<String, Object> schema = tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema();
        String description = tool.description() != null ? tool.description() : tool.title() != null ? tool.title() : "";
        return ToolSpec.newBuilder().setName(name()).setDescription(description)
                .setInputSchemaJson(new JsonObject(schema).encode()).build();
    }
}
