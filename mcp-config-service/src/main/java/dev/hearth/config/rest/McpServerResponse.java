package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.McpServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** An MCP server as the admin API shows it: the same shape a PUT takes, so GET, edit, PUT works. */
public record McpServerResponse(
        String name,
        String transport,
        String url,
        Map<String, String> headers,
        String command,
        List<String> args,
        Map<String, String> env,
        boolean enabled,
        @JsonProperty("disabled_tools") List<String> disabledTools,
        @JsonProperty("poll_interval_seconds") int pollIntervalSeconds) {

    static McpServerResponse of(McpServer server) {
        return new McpServerResponse(server.name(), server.transport(), server.url(), new TreeMap<>(server.headers()),
                server.command(), server.args(), new TreeMap<>(server.env()), server.enabled(),
                List.copyOf(new TreeSet<>(server.disabledTools())), server.pollIntervalSeconds());
    }
}
