package dev.hearth.config.mcp;

import dev.hearth.config.tools.BuiltInTool;
import dev.hearth.config.tools.BuiltInTools;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Serves the built-in tools ({@link BuiltInTools}, the registry the gRPC tool catalog serves) over
 * MCP with their own names, descriptions and JSON Schemas: one implementation, two doors. An
 * argument a tool cannot use is an {@code isError} result the model can read, as over gRPC.
 */
@ApplicationScoped
public class BuiltInToolsOverMcp {

    private static final Logger LOG = Logger.getLogger(BuiltInToolsOverMcp.class);

    private final BuiltInTools builtIns;
    private final ToolManager tools;

    public BuiltInToolsOverMcp(BuiltInTools builtIns, ToolManager tools) {
        this.builtIns = builtIns;
        this.tools = tools;
    }

    void register(@Observes StartupEvent start) {
        for (BuiltInTool tool : builtIns.all()) {
            tools.newTool(tool.name())
                    .setDescription(tool.spec().getDescription())
                    .setInputSchema(new JsonObject(tool.spec().getInputSchemaJson()))
                    // Pure, quick computations: an async handler runs them on the event loop, no worker needed.
                    .setAsyncHandler(arguments -> Uni.createFrom().item(() -> call(tool, arguments.args())))
                    .register();
        }
    }

    static ToolResponse call(BuiltInTool tool, Map<String, Object> arguments) {
        try {
            return ToolResults.success(tool.call(arguments == null ? new JsonObject() : new JsonObject(arguments)));
        } catch (IllegalArgumentException e) {
            return ToolResults.error(ToolResults.INVALID_ARGUMENTS, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "built-in tool %s failed over MCP", tool.name());
            return ToolResults.error(ToolResults.TOOL_FAILED, "the tool failed: " + e.getMessage());
        }
    }
}
