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

/** One generation's answer as far as it has streamed: its text and the tool calls assembled from their fragments. */
final class AnswerRecorder {

    private final int round;
    private final StringBuilder text = new StringBuilder();
    private final TreeMap<Integer, ToolCall.Builder> toolCalls = new TreeMap<>();

    /** {@code round}: which generation of the turn this is, for ids of calls the provider left without one. */
    AnswerRecorder(int round) {
        this.round = round;
    }

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

    /** The calls, each with an id (some providers send none, but a result must name its call). */
    synchronized List<ToolCall> toolCalls() {
        List<ToolCall> calls = new ArrayList<>(toolCalls.size());
        toolCalls.forEach((index, call) -> calls.add(call.getId().isEmpty()
                ? call.clone().setId("call_" + round + "_" + index).build()
                : call.build()));
        return calls;
    }

    /**
     * The answer to store. {@code withToolCalls}: only when the calls were answered (ran, or were
     * refused with a result), so a stored conversation never has a call without its result.
     */
    synchronized StoredMessage asStored(FinishReason reason, String provider, String model, boolean withToolCalls) {
        ChatMessage.Builder message = ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent(text.toString());
        if (withToolCalls) {
            message.addAllToolCalls(toolCalls());
        }
        return stored(message.build(), reason, provider, model);
    }

    /** An assistant message; truncated unless its generation ended on its own. */
    static StoredMessage stored(ChatMessage message, FinishReason reason, String provider, String model) {
        return StoredMessage.newBuilder()
                .setMessage(message)
                .setFinishReason(reason)
                .setTruncated(reason != FinishReason.FINISH_REASON_STOP
                        && reason != FinishReason.FINISH_REASON_TOOL_CALLS
                        && reason != FinishReason.FINISH_REASON_LENGTH)
                .setProvider(provider)
                .setModel(model)
                .build();
    }
}
