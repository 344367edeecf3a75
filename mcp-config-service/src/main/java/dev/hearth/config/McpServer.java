package dev.hearth.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An external MCP server the aggregator connects to, as operators define it (already validated).
 * Its tools are offered as {@code <name>__<tool>}. Secrets are never stored: {@code headers} maps a
 * header to the NAME of the environment variable holding its value, and an {@code env} value of the
 * form {@code ${NAME}} passes on a variable of this service's environment.
 *
 * @param transport           {@code http} (Streamable HTTP at {@code url}) or {@code stdio} (a process)
 * @param disabledTools       upstream tool names (not namespaced) switched off; kept across refreshes
 * @param pollIntervalSeconds how often to re-list the tools of a server that cannot notify changes
 */
public record McpServer(String name, String transport, String url, Map<String, String> headers, String command,
        List<String> args, Map<String, String> env, boolean enabled, Set<String> disabledTools,
        int pollIntervalSeconds) {

    public static final String HTTP = "http";
    public static final String STDIO = "stdio";
    /** Between server and tool in a namespaced tool name. */
    public static final String SEPARATOR = "__";

    public McpServer {
        headers = Map.copyOf(headers);
        args = List.copyOf(args);
        env = Map.copyOf(env);
        disabledTools = Set.copyOf(new TreeSet<>(disabledTools));
    }

    public McpServer withEnabled(boolean value) {
        return new McpServer(name, transport, url, headers, command, args, env, value, disabledTools, pollIntervalSeconds);
    }

    /** Whether a running connection must be replaced to follow this definition (the tool switches need not). */
    public boolean sameConnectionAs(McpServer other) {
        return other != null && name.equals(other.name) && transport.equals(other.transport) && url.equals(other.url)
                && headers.equals(other.headers) && command.equals(other.command) && args.equals(other.args)
                && env.equals(other.env) && enabled == other.enabled && pollIntervalSeconds == other.pollIntervalSeconds;
    }
}
