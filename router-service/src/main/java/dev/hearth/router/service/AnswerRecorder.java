package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer as far as it has streamed: its text and the tool calls assembled from their fragments.
 * Whatever ends the turn (completion, failure, cancellation) stores it exactly once.
 */
final class AnswerRecorder {

    private final StringBuilder text = new StringBuilder();
    private final TreeMap<Integer, ToolCall.Builder> toolCalls = new TreeMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();

    synchronized void appendText(String delta) {
        text.append(delta);
    }

    synchronized void appendToolCall(ToolCallDelta delta) {
        ToolCall.Builder call = toolCalls.computeIfAbsent(delta.getIndex(), i -> ToolCall.newBuilder());
        if (!delta.getId().isEmpty()) {
            call.setId(delta.getId());
        }
        if (!delta.getName().isEmpty()) {
            call.setName(delta.getName());
        }
        call.setArgumentsJson(call.getArgumentsJson() + delta.getArgumentsFragment());
    }

    synchronized List<ToolCall> toolCalls() {
        List<ToolCall> calls = new ArrayList<>(toolCalls.size());
        toolCalls.values().forEach(b -> calls.add(b.build()));
        return calls;
    }

    /** True for the first caller only: the turn ends once. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    synchronized StoredMessage asStored(FinishReason reason, String provider, String model) {
        return StoredMessage.newBuilder()
                .setMessage(ChatMessage.newBuilder()
                        .setRole(Role.ROLE_ASSISTANT)
                        .setContent(text.toString())
                        .addAllToolCalls(toolCalls()))
                .setFinishReason(reason)
                .setTruncated(reason != FinishReason.FINISH_REASON_STOP
                        && reason != FinishReason.FINISH_REASON_TOOL_CALLS
                        && reason != FinishReason.FINISH_REASON_LENGTH)
                .setProvider(provider)
                .setModel(model)
                .build();
    }
}
