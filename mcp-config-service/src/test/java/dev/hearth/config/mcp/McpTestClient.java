package dev.hearth.config.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

/** The official MCP Java SDK as Hearth's MCP clients use it: Streamable HTTP to /mcp with a Bearer key. */
final class McpTestClient {

    private McpTestClient() {
    }

    static McpSyncClient connect(URL base, String apiKey) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(base.toString().replaceAll("/$", ""))
                .endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + apiKey))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(15)).build();
    }

    static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new CallToolRequest(tool, arguments));
    }

    /** The tool's JSON result (or error body), from its single text content. */
    static JsonObject json(CallToolResult result) {
        return new JsonObject(((TextContent) result.content().get(0)).text());
    }

    /** Asserts nothing; the error code of an isError result. */
    static String errorCode(CallToolResult result) {
        return json(result).getJsonObject("error").getString("code");
    }
}
