package dev.hearth.config.aggregator;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one upstream: its state, the tools it last listed (every one, disabled or not),
 * when that was, and why the last attempt failed (empty when it did not).
 */
public record UpstreamStatus(String server, UpstreamState state, List<McpSchema.Tool> tools, Instant lastRefresh,
        String lastError) {

    public UpstreamStatus {
        tools = List.copyOf(tools);
    }
}
