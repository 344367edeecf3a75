package dev.hearth.router.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolResultEvent;
import dev.hearth.router.client.ToolClient;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one tool call of the model. Whatever goes wrong (unknown tool, arguments that break the
 * tool's schema, a timeout, a failing tool) becomes an is_error result the model can read and
 * recover from; it never fails the turn. Cancelling the returned Uni cancels the call.
 */
@ApplicationScoped
public class ToolRunner {

    /** The error codes of an is_error result (in its JSON: {"error":{"code":…,"message":…}}). */
    static final String UNKNOWN_TOOL = "unknown_tool";
    static final String INVALID_ARGUMENTS = "invalid_arguments";
    static final String TIMEOUT = "timeout";
    static final String TOOL_FAILED = "tool_failed";
    static final String ROUND_LIMIT = "tool_round_limit";
    static final String CANCELLED = "cancelled";

    private static final Logger LOG = Logger.getLogger(ToolRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToolClient client;

    public ToolRunner(ToolClient client) {
        this.client = client;
    }

    Uni<ToolResultEvent> run(ToolCall call, ToolSet tools, Turn turn) {
        Optional<ToolArguments> tool = tools.get(call.getName());
        if (tool.isEmpty()) {
            return Uni.createFrom().item(error(call, UNKNOWN_TOOL, "no tool named '" + call.getName() + "' is available"));
        }
        Optional<String> problem = tool.get().problem(call.getArgumentsJson());
        if (problem.isPresent()) {
            return Uni.createFrom().item(error(call, INVALID_ARGUMENTS, problem.get()));
        }
        CallToolRequest request = CallToolRequest.newBuilder()
                .setName(call.getName())
                .setArgumentsJson(ToolArguments.normalize(call.getArgumentsJson()))
                .setUserId(turn.userId())
                .setConversationId(turn.conversationId())
                .setCallId(call.getId())
                .build();
        return client.call(request)
                .map(response -> ToolResultEvent.newBuilder().setToolCallId(call.getId()).setName(call.getName())
                        .setResultJson(response.getResultJson().isBlank() ? "null" : response.getResultJson())
                        .setIsError(response.getIsError()).build())
                .onFailure().recoverWithItem(failure -> failed(call, failure));
    }

    private static ToolResultEvent failed(ToolCall call, Throwable failure) {
        Status status = Status.fromThrowable(failure);
        LOG.debugf("tool %s (%s) failed: %s", call.getName(), call.getId(), status);
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> error(call, TIMEOUT, "the tool did not answer in time");
            case NOT_FOUND -> error(call, UNKNOWN_TOOL, "no tool named '" + call.getName() + "' is available");
            case INVALID_ARGUMENT -> error(call, INVALID_ARGUMENTS, String.valueOf(status.getDescription()));
            default -> error(call, TOOL_FAILED, "the tool could not run: "
                    + (status.getDescription() != null ? status.getDescription() : status.getCode().name()));
        };
    }

    static ToolResultEvent error(ToolCall call, String code, String message) {
        ObjectNode json = JSON.createObjectNode();
        json.putObject("error").put("code", code).put("message", message);
        return ToolResultEvent.newBuilder().setToolCallId(call.getId()).setName(call.getName())
                .setResultJson(json.toString()).setIsError(true).build();
    }
}
