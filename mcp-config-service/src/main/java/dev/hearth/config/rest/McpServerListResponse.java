package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /admin/v1/mcp-servers}: every MCP server, by name. */
public record McpServerListResponse(@JsonProperty("mcp_servers") List<McpServerResponse> mcpServers) {
}
