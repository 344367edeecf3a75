package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolResultEvent;
import dev.hearth.proto.v1.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one turn has said so far, over all its tool rounds: the assistant messages that asked for
 * tools with their results, the answer being generated, the tokens used. Whatever ends the turn
 * (completion, failure, cancellation) takes its messages to store exactly once.
 */
final class TurnTranscript {

    private final List<StoredMessage> rounds = new ArrayList<>();
    private final Map<String, ToolResultEvent> results = new HashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private List<ToolCall> pendingCalls = List.of();
    private AnswerRecorder answer;
    private int generations;
    private int promptTokens;
    private int completionTokens;

    /** The next generation begins. */
    synchronized AnswerRecorder newAnswer() {
        answer = new AnswerRecorder(generations++);
        return answer;
    }

    synchronized void used(Usage usage) {
        promptTokens += usage.getPromptTokens();
        completionTokens += usage.getCompletionTokens();
    }

    synchronized Usage usage() {
        return Usage.newBuilder().setPromptTokens(promptTokens).setCompletionTokens(completionTokens).build();
    }

    /** The answer asked for these tools; their results are awaited. */
    synchronized void toolsAsked(StoredMessage assistant, List<ToolCall> calls) {
        rounds.add(assistant);
        pendingCalls = List.copyOf(calls);
        results.clear();
        answer = null;
    }

    synchronized void toolAnswered(ToolResultEvent result) {
        results.put(result.getToolCallId(), result);
    }

    /** Every call has its result: they follow the asking message, in the order of the calls. */
    synchronized void toolsDone() {
        closePending();
    }

    /** This turn's messages after the prompt: the earlier rounds, as the next generation must see them. */
    synchronized List<ChatMessage> roundMessages() {
        return rounds.stream().map(StoredMessage::getMessage).toList();
    }

    /** True for the first caller only: the turn ends once. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    /**
     * The messages to store for a turn that ended with {@code reason} while generating or running
     * tools: calls still running get a {@code cancelled} result, and the last message is the
     * answer as far as it went (empty when the turn ended between generations).
     */
    synchronized List<StoredMessage> interrupted(FinishReason reason, String provider, String model) {
        closePending();
        List<StoredMessage> messages = new ArrayList<>(rounds);
        messages.add(answer != null
                ? answer.asStored(reason, provider, model, false)
                : AnswerRecorder.stored(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).build(), reason, provider, model));
        return messages;
    }

    /** The messages to store for a turn whose last generation ended it: the rounds, then {@code last} if any. */
    synchronized List<StoredMessage> finished(StoredMessage last) {
        List<StoredMessage> messages = new ArrayList<>(rounds);
        if (last != null) {
            messages.add(last);
        }
        return messages;
    }

    private void closePending() {
        for (ToolCall call : pendingCalls) {
            ToolResultEvent result = results.get(call.getId());
            if (result == null) {
                result = ToolRunner.error(call, ToolRunner.CANCELLED, "the turn ended before the tool answered");
            }
            rounds.add(StoredMessage.newBuilder().setMessage(toolMessage(result)).build());
        }
        pendingCalls = List.of();
        results.clear();
    }

    static ChatMessage toolMessage(ToolResultEvent result) {
        return ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId(result.getToolCallId())
                .setName(result.getName()).setContent(result.getResultJson()).build();
    }
}
