package dev.hearth.gateway.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Handover;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** Turns the router's events into client events on a {@link ChatStream}. */
@ApplicationScoped
public class RouterEventRelay {

    private final ObjectMapper json;

    public RouterEventRelay(ObjectMapper json) {
        this.json = json;
    }

    public void relay(ChatEvent event, ChatStream stream) {
        switch (event.getEventCase()) {
            case TEXT -> stream.chunk("text", event.getText().getText());
            case TOOL_CALL -> stream.chunk("tool_call", json.createObjectNode()
                    .put("id", event.getToolCall().getCall().getId())
                    .put("name", event.getToolCall().getCall().getName())
                    .put("arguments", event.getToolCall().getCall().getArgumentsJson()));
            case TOOL_RESULT -> stream.chunk("tool_result", json.createObjectNode()
                    .put("id", event.getToolResult().getToolCallId())
                    .put("name", event.getToolResult().getName())
                    .put("result", event.getToolResult().getResultJson())
                    .put("is_error", event.getToolResult().getIsError()));
            case TRANSCRIPT -> stream.chunk("transcript", json.createObjectNode()
                    .put("text", event.getTranscript().getText())
                    .put("final", event.getTranscript().getFinal()));
            case COMPLETED -> complete(event.getCompleted(), stream);
            case ERROR -> fail(event.getError(), stream);
            default -> {
                // started, and kinds this gateway does not know yet: nothing for the client
            }
        }
    }

    /** The router's stream ended without a terminal event: say so rather than truncate silently. */
    public void endedWithoutTerminal(ChatStream stream) {
        stream.complete("incomplete", event -> { });
    }

    public void failed(Throwable failure, ChatStream stream) {
        Status status = Status.fromThrowable(failure);
        ErrorCode code = switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_MESSAGE;
            default -> ErrorCode.INTERNAL;
        };
        String message = status.getCode() == Status.Code.UNAVAILABLE
                ? "the router is unreachable; try again shortly"
                : String.valueOf(status.getDescription());
        stream.fail(code, message, 0);
    }

    private static void complete(ChatCompleted done, ChatStream stream) {
        stream.complete(finishReason(done.getFinishReason()), event -> {
            ObjectNode usage = event.putObject("usage");
            usage.put("prompt_tokens", done.getUsage().getPromptTokens());
            usage.put("completion_tokens", done.getUsage().getCompletionTokens());
            event.put("provider", done.getProvider());
            event.put("model", done.getModel());
            if (!done.getConversationId().isEmpty()) {
                event.put("conversation_id", done.getConversationId());
            }
            // An extension of hearth.v1: how the answer moved along the profile's fallback chain.
            if (done.getHandoversCount() > 0) {
                ArrayNode handovers = event.putArray("handovers");
                for (Handover handover : done.getHandoversList()) {
                    handovers.addObject()
                            .put("from_provider", handover.getFromProvider())
                            .put("from_model", handover.getFromModel())
                            .put("to_provider", handover.getToProvider())
                            .put("to_model", handover.getToModel())
                            .put("reason", handover.getReason())
                            .put("message", handover.getMessage())
                            .put("after_chars", handover.getAfterChars());
                }
            }
        });
    }

    private static void fail(ErrorInfo error, ChatStream stream) {
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.getCode().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            code = ErrorCode.INTERNAL;
        }
        stream.fail(code, error.getMessage(), error.getRetryAfterMs());
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case FINISH_REASON_STOP -> "stop";
            case FINISH_REASON_LENGTH -> "length";
            case FINISH_REASON_TOOL_CALLS -> "tool_calls";
            case FINISH_REASON_CANCELLED -> "cancelled";
            case FINISH_REASON_INCOMPLETE, FINISH_REASON_ERROR -> "incomplete";
            default -> "stop";
        };
    }
}
