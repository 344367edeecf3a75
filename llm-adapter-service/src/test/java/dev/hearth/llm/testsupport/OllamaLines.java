package dev.hearth.llm.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The lines of an Ollama {@code /api/chat} stream, each a JSON object and a newline, built with real JSON encoding. */
public final class OllamaLines {

    /** The model the fake reports having answered (Ollama reports the name with its tag). */
    public static final String UPSTREAM_MODEL = "llama3.2:3b";
    public static final String CREATED_AT = "2025-07-07T20:22:19.184789Z";

    private OllamaLines() {
    }

    public static String content(String text) {
        return line(base(false).put("message", message().put("content", text)));
    }

    /** A thinking model's reasoning, which is not part of the answer. */
    public static String thinking(String text) {
        return line(base(false).put("message", message().put("content", "").put("thinking", text)));
    }

    /** A line carrying whole tool calls; see {@link #call}. */
    public static String toolCalls(JsonObject... calls) {
        JsonArray array = new JsonArray();
        for (JsonObject call : calls) {
            array.add(call);
        }
        return line(base(false).put("message", message().put("content", "").put("tool_calls", array)));
    }

    /** One tool call; {@code id} null as older Ollama versions send it. */
    public static JsonObject call(String id, String name, JsonObject arguments) {
        JsonObject call = new JsonObject().put("function", new JsonObject().put("name", name).put("arguments", arguments));
        if (id != null) {
            call.put("id", id);
        }
        return call;
    }

    /** The final line: why it stopped and the token counts. */
    public static String done(String reason, int promptEvalCount, int evalCount) {
        return done("", reason, promptEvalCount, evalCount);
    }

    /** A final line that still carries the last piece of text, as some versions send it. */
    public static String done(String content, String reason, int promptEvalCount, int evalCount) {
        return line(base(true).put("message", message().put("content", content)).put("done_reason", reason)
                .put("total_duration", 4883583458L).put("load_duration", 1334875)
                .put("prompt_eval_count", promptEvalCount).put("prompt_eval_duration", 342546000)
                .put("eval_count", evalCount).put("eval_duration", 4535599000L));
    }

    /** An error line, as Ollama writes one when a failure comes after the answer started. */
    public static String error(String message) {
        return errorJson(message) + "\n";
    }

    public static String errorJson(String message) {
        return new JsonObject().put("error", message).encode();
    }

    private static JsonObject base(boolean done) {
        return new JsonObject().put("model", UPSTREAM_MODEL).put("created_at", CREATED_AT).put("done", done);
    }

    private static JsonObject message() {
        return new JsonObject().put("role", "assistant");
    }

    private static String line(JsonObject object) {
        // "done" goes last on the wire, as Ollama writes it; JsonObject keeps insertion order
        Object done = object.remove("done");
        return object.put("done", done).encode() + "\n";
    }
}
