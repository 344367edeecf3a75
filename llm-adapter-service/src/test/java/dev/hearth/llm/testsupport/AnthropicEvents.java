package dev.hearth.llm.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Messages API stream events as Anthropic sends them ({@code event: <type>\ndata: {...}\n\n},
 * the type repeated in the data), built with real JSON encoding; and its error bodies.
 */
public final class AnthropicEvents {

    public static final String UPSTREAM_MODEL = "claude-fake-4-5-20250929";

    private AnthropicEvents() {
    }

    /** A complete answer: the given text deltas in one text block, end_turn, usage 12 in / deltas out. */
    public static String textMessage(String... deltas) {
        StringBuilder wire = new StringBuilder(messageStart(UPSTREAM_MODEL, 12)).append(textBlockStart(0)).append(ping());
        for (String delta : deltas) {
            wire.append(textDelta(0, delta));
        }
        return wire.append(blockStop(0)).append(messageDelta("end_turn", deltas.length)).append(messageStop()).toString();
    }

    public static String messageStart(String model, int inputTokens) {
        JsonObject message = new JsonObject().put("id", "msg_fake01").put("type", "message").put("role", "assistant")
                .put("content", new JsonArray()).put("model", model).put("stop_reason", null).put("stop_sequence", null)
                .put("usage", new JsonObject().put("input_tokens", inputTokens).put("cache_creation_input_tokens", 0)
                        .put("cache_read_input_tokens", 0).put("output_tokens", 1));
        return event("message_start", new JsonObject().put("message", message));
    }

    public static String textBlockStart(int index) {
        return event("content_block_start", new JsonObject().put("index", index)
                .put("content_block", new JsonObject().put("type", "text").put("text", "")));
    }

    public static String textDelta(int index, String text) {
        return event("content_block_delta", new JsonObject().put("index", index)
                .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
    }

    public static String toolUseStart(int index, String id, String name) {
        return event("content_block_start", new JsonObject().put("index", index).put("content_block",
                new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", new JsonObject())));
    }

    public static String inputJsonDelta(int index, String partialJson) {
        return event("content_block_delta", new JsonObject().put("index", index)
                .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", partialJson)));
    }

    /** An extended-thinking block: a thinking delta and its signature, neither part of the answer. */
    public static String thinkingBlock(int index, String thinking) {
        return event("content_block_start", new JsonObject().put("index", index).put("content_block",
                new JsonObject().put("type", "thinking").put("thinking", "")))
                + event("content_block_delta", new JsonObject().put("index", index)
                        .put("delta", new JsonObject().put("type", "thinking_delta").put("thinking", thinking)))
                + event("content_block_delta", new JsonObject().put("index", index)
                        .put("delta", new JsonObject().put("type", "signature_delta").put("signature", "EqQBCgIYAhIM")))
                + blockStop(index);
    }

    public static String blockStop(int index) {
        return event("content_block_stop", new JsonObject().put("index", index));
    }

    /** @param stopReason end_turn, max_tokens, stop_sequence, tool_use, pause_turn, refusal */
    public static String messageDelta(String stopReason, int outputTokens) {
        return event("message_delta", new JsonObject()
                .put("delta", new JsonObject().put("stop_reason", stopReason).put("stop_sequence", null))
                .put("usage", new JsonObject().put("output_tokens", outputTokens)));
    }

    public static String messageStop() {
        return event("message_stop", new JsonObject());
    }

    public static String ping() {
        return event("ping", new JsonObject());
    }

    /** An error event inside a 200 stream, e.g. {@code overloaded_error} under high load. */
    public static String error(String type, String message) {
        return "event: error\ndata: " + errorBody(type, message) + "\n\n";
    }

    /** The body of an error answer: {@code {"type":"error","error":{"type":...,"message":...}}}. */
    public static String errorBody(String type, String message) {
        return new JsonObject().put("type", "error")
                .put("error", new JsonObject().put("type", type).put("message", message))
                .put("request_id", "req_fake_0001").encode();
    }

    private static String event(String type, JsonObject data) {
        JsonObject typed = new JsonObject().put("type", type).mergeIn(data);
        return "event: " + type + "\ndata: " + typed.encode() + "\n\n";
    }
}
