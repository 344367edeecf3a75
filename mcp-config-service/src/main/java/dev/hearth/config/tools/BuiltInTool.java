package dev.hearth.config.tools;

import dev.hearth.proto.v1.ToolSpec;
import io.vertx.core.json.JsonObject;

/**
 * A tool mcp-config-service runs itself, without a device or an MCP server behind it. Arguments
 * arrive as a JSON object; a bad argument is an {@link IllegalArgumentException} whose message
 * the model will read.
 */
public interface BuiltInTool {

    /** Name, description and JSON Schema of the arguments, as the model sees them. */
    ToolSpec spec();

    /** The result as a JSON object. */
    JsonObject call(JsonObject arguments);

    default String name() {
        return spec().getName();
    }
}
