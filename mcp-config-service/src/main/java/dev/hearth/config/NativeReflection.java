package dev.hearth.config;

import dev.hearth.config.rest.CreatedApiKeyResponse;
import dev.hearth.config.rest.LimitsJson;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes Jackson reads or writes by reflection where Quarkus cannot see it, for the native image:
 * the MCP Java SDK's protocol records (McpSchema's nested types: the aggregator's client decodes
 * upstream servers' answers into them, ToolGrpcService writes CallToolResult), and a REST body
 * returned only inside a Response (the created API key), with what it nests.
 */
@RegisterForReflection(targets = {McpSchema.class, CreatedApiKeyResponse.class, LimitsJson.class}, ignoreNested = false)
final class NativeReflection {

    private NativeReflection() {
    }
}
