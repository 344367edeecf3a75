package dev.hearth.llm.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** SSE events as OpenAI streams them ({@code data: {...}\n\n}), built with real JSON encoding. */
public final class OpenAiChunks {

    public static final String UPSTREAM_MODEL = "gpt-fake-2025-01-01";
    public static final String DONE = "data: [DONE]\n\n";

    private OpenAiChunks() {
    }

    public static String role() {
        return event(choice(new JsonObject().put("role", "assistant").put("content", ""), null));
    }

    public static String content(String text) {
        return event(choice(new JsonObject().put("content", text), null));
    }

    /** A tool-call fragment: id and name come with the first fragment of a call only. */
    public static String toolCall(int index, String id, String name, String argumentsFragment) {
        JsonObject function = new JsonObject().put("arguments", argumentsFragment);
        if (name != null) {
            function.put("name", name);
        }
        JsonObject call = new JsonObject().put("index", index).put("function", function);
        if (id != null) {
            call.put("id", id).put("type", "function");
        }
        return event(choice(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
    }

    public static String finish(String reason) {
        return event(choice(new JsonObject(), reason));
    }

    /** The extra chunk {@code stream_options.include_usage} asks for: no choices, only usage. */
    public static String usage(int promptTokens, int completionTokens) {
        return event(base().put("choices", new JsonArray()).put("usage", new JsonObject()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens)));
    }

    private static JsonObject choice(JsonObject delta, String finishReason) {
        return base().put("choices", new JsonArray().add(new JsonObject()
                .put("index", 0).put("delta", delta).put("logprobs", null).put("finish_reason", finishReason)));
    }

    private static JsonObject base() {
        return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1735689600).put("model", UPSTREAM_MODEL).put("system_fingerprint", "fp_fake");
    }

    private static String event(JsonObject chunk) {
        return "data: " + chunk.encode() + "\n\n";
    }
}
