package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat completion: turns the router's events into OpenAI's {@code chat.completion} object, or
 * into {@code chat.completion.chunk} SSE events as they come.
 *
 * <p>finish_reason: {@code stop}, {@code length} and {@code tool_calls} pass through. OpenAI has no
 * value for an answer that was cut upstream ({@code incomplete}) or cancelled, and every value it has
 * would claim a normal end, so those become an error ({@code code} "incomplete" / "cancelled"): a
 * 502 before anything was sent, an error event in a stream. No client takes a truncated answer for a
 * whole one.
 */
final class Completion {

    private final ObjectMapper json;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final StringBuilder content = new StringBuilder();
    private ChatCompleted completed;
    private OpenAiError error;

    Completion(ObjectMapper json, String id, String model, boolean includeUsage) {
        this.json = json;
        this.id = id;
        this.created = System.currentTimeMillis() / 1000;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    String id() {
        return id;
    }

    boolean ended() {
        return completed != null || error != null;
    }

    // ---- non-streaming

    /** Takes one router event; events after the terminal one are ignored. */
    Completion add(ChatEvent event) {
        if (ended()) {
            return this;
        }
        switch (event.getEventCase()) {
            case TEXT -> content.append(event.getText().getText());
            case COMPLETED -> end(event.getCompleted());
            case ERROR -> error = OpenAiErrors.routerError(event.getError());
            default -> {
                // started, audio…: no place in a chat.completion. Tool calls and results neither: the
                // router runs the profile's tools itself, so they are not calls for this client to make.
            }
        }
        return this;
    }

    /** The {@code chat.completion} body; fails with the error that ended the answer instead. */
    String result() {
        if (error != null) {
            throw error;
        }
        if (completed == null) {
            throw incomplete("the answer ended without finishing; it was cut upstream");
        }
        ObjectNode body = envelope("chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        message.put("content", content.toString());
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(completed.getFinishReason()));
        body.set("usage", usage(completed.getUsage()));
        return body.toString();
    }

    // ---- streaming (each item one SSE event)

    /** The first chunk: the assistant's role. */
    String start() {
        ObjectNode delta = json.createObjectNode().put("role", "assistant").put("content", "");
        return sse(chunk(delta, null));
    }

    List<String> next(ChatEvent event) {
        if (ended()) {
            return List.of();
        }
        return switch (event.getEventCase()) {
            case TEXT -> event.getText().getText().isEmpty() ? List.of()
                    : List.of(sse(chunk(json.createObjectNode().put("content", event.getText().getText()), null)));
            case COMPLETED -> {
                end(event.getCompleted());
                yield error != null ? errorEvent() : finish();
            }
            case ERROR -> {
                error = OpenAiErrors.routerError(event.getError());
                yield errorEvent();
            }
            default -> List.of();
        };
    }

    /** The router's stream ended: without a terminal event that is an error, not a quiet end. */
    List<String> end() {
        if (ended()) {
            return List.of();
        }
        error = incomplete("the answer ended without finishing; it was cut upstream");
        return errorEvent();
    }

    List<String> failed(Throwable failure) {
        if (ended()) {
            return List.of();
        }
        error = OpenAiErrors.of(failure);
        return errorEvent();
    }

    private List<String> finish() {
        List<String> events = new ArrayList<>(3);
        events.add(sse(chunk(json.createObjectNode(), finishReason(completed.getFinishReason()))));
        if (includeUsage) {
            ObjectNode last = envelope("chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usage(completed.getUsage()));
            events.add(sse(last));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    private List<String> errorEvent() {
        return List.of(sse(error.body(json)));
    }

    // ---- shared

    /** A cancelled or cut answer ends in an error (see the class comment); others are recorded. */
    private void end(ChatCompleted done) {
        switch (done.getFinishReason()) {
            case FINISH_REASON_CANCELLED -> error = new OpenAiError(502, "server_error", "cancelled", null,
                    "the answer was cancelled before it finished", 0);
            case FINISH_REASON_INCOMPLETE, FINISH_REASON_ERROR ->
                    error = incomplete("the answer was cut upstream and no fallback could finish it");
            // The assistant stopped at tool calls the router did not run (its round limit): the
            // answer is unfinished, and these calls are not the client's to make.
            case FINISH_REASON_TOOL_CALLS -> error = incomplete("the assistant reached its limit of tool rounds "
                    + "before it finished the answer");
            default -> completed = done;
        }
    }

    private static OpenAiError incomplete(String message) {
        return new OpenAiError(502, "server_error", "incomplete", null, message, 0);
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case FINISH_REASON_LENGTH -> "length";
            case FINISH_REASON_TOOL_CALLS -> "tool_calls";
            default -> "stop";
        };
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = envelope("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private ObjectNode envelope(String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private ObjectNode usage(Usage usage) {
        return json.createObjectNode()
                .put("prompt_tokens", usage.getPromptTokens())
                .put("completion_tokens", usage.getCompletionTokens())
                .put("total_tokens", usage.getPromptTokens() + usage.getCompletionTokens());
    }

    private static String sse(ObjectNode data) {
        return "data: " + data + "\n\n";
    }
}
