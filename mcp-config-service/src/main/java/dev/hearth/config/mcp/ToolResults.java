package dev.hearth.config.mcp;

import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Tool results as MCP sends them: the JSON result as text, and failures the model should read as
 * {@code isError} results with a stable code, {@code {"error":{"code","message"}}} like the gRPC
 * tool catalog's.
 */
final class ToolResults {

    static final String INVALID_ARGUMENTS = "invalid_arguments";
    static final String NOT_FOUND = "not_found";
    static final String UNKNOWN_DEVICE = "unknown_device";
    static final String ZIGBEE_UNAVAILABLE = "zigbee_unavailable";
    static final String COMMAND_REFUSED = "command_refused";
    static final String NOT_CONFIRMED = "not_confirmed";
    static final String TOOL_FAILED = "tool_failed";

    private ToolResults() {
    }

    static ToolResponse success(JsonObject result) {
        return new ToolResponse(false, List.of(new TextContent(result.encode())));
    }

    static ToolResponse error(String code, String message) {
        JsonObject body = new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
        return new ToolResponse(true, List.of(new TextContent(body.encode())));
    }
}
