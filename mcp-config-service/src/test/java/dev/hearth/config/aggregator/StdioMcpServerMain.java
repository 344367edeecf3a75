package dev.hearth.config.aggregator;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An MCP server on stdio, built with the MCP Java SDK's server side, that the tests start as a
 * process (java with the test classpath). It writes its pid to the file named by its first
 * argument, so a test can see the process end; {@code shout} upper-cases its text, prefixed with
 * the value of the environment variable GREETING.
 */
public final class StdioMcpServerMain {

    private StdioMcpServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(args[0]), Long.toString(ProcessHandle.current().pid()));
        McpSchema.Tool shout = McpSchema.Tool.builder("shout")
                .description("Upper-cases a text")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")),
                        "required", java.util.List.of("text")))
                .build();
        McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                .serverInfo("stdio-test", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .toolCall(shout, (exchange, request) -> McpSchema.CallToolResult.builder()
                        .addTextContent(System.getenv("GREETING") + " " + String.valueOf(request.arguments().get("text"))
                                .toUpperCase())
                        .build())
                .build();
        // The transport reads stdin on its own threads; stay alive until the parent ends us.
        Thread.currentThread().join();
    }
}
