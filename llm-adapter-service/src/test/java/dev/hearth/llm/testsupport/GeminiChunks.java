package dev.hearth.llm.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Gemini's SSE events ({@code data: {GenerateContentResponse}\r\n\r\n}: Google ends lines with
 * CRLF) and error bodies, built with real JSON encoding.
 */
public final class GeminiChunks {

    public static final String UPSTREAM_MODEL = "gemini-2.5-flash-fake-001";
    public static final String EOL = "\r\n";

    private GeminiChunks() {
    }

    public static String text(String text) {
        return event(response(candidate(new JsonArray().add(new JsonObject().put("text", text)), null)));
    }

    /** A thought summary part ({@code thought: true}), as thinking models send with includeThoughts. */
    public static String thought(String text) {
        return event(response(candidate(new JsonArray().add(new JsonObject().put("text", text).put("thought", true)),
                null)));
    }

    /** A whole function call, as Gemini sends them; {@code id} may be null (the Gemini API often omits it). */
    public static String functionCall(String id, String name, JsonObject args) {
        JsonObject call = new JsonObject().put("name", name).put("args", args);
        if (id != null) {
            call.put("id", id);
        }
        return event(response(candidate(new JsonArray().add(new JsonObject().put("functionCall", call)
                .put("thoughtSignature", "c2lnbmF0dXJl")), null)));
    }

    /** The last chunk: the finish reason, the final usage and, as Gemini does, a last bit of text (may be empty). */
    public static String finish(String reason, String text, int promptTokens, int candidatesTokens) {
        JsonArray parts = new JsonArray();
        if (text != null) {
            parts.add(new JsonObject().put("text", text));
        }
        return event(response(candidate(parts, reason)).put("usageMetadata", new JsonObject()
                .put("promptTokenCount", promptTokens)
                .put("candidatesTokenCount", candidatesTokens)
                .put("totalTokenCount", promptTokens + candidatesTokens)));
    }

    /** A prompt the safety filters refused: no candidates, only {@code promptFeedback}. */
    public static String blocked(String blockReason) {
        return event(new JsonObject()
                .put("promptFeedback", new JsonObject().put("blockReason", blockReason))
                .put("usageMetadata", new JsonObject().put("promptTokenCount", 7).put("totalTokenCount", 7))
                .put("modelVersion", UPSTREAM_MODEL));
    }

    /** An error sent as an event after the 200. */
    public static String errorEvent(int code, String status, String message) {
        return event(new JsonObject(errorBody(code, status, message, null)));
    }

    /** Google's error body; {@code retryDelay} (e.g. "30s") adds a {@code google.rpc.RetryInfo} detail. */
    public static String errorBody(int code, String status, String message, String retryDelay) {
        JsonObject error = new JsonObject().put("code", code).put("message", message).put("status", status);
        if (retryDelay != null) {
            error.put("details", new JsonArray()
                    .add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                            .put("violations", new JsonArray().add(new JsonObject()
                                    .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                                    .put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"))))
                    .add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.Help")
                            .put("links", new JsonArray().add(new JsonObject().put("description", "Learn more")
                                    .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits"))))
                    .add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                            .put("retryDelay", retryDelay)));
        }
        return new JsonObject().put("error", error).encode();
    }

    /** What Google answers a key it does not know: 400, with reason API_KEY_INVALID. */
    public static String invalidKeyBody() {
        return new JsonObject().put("error", new JsonObject().put("code", 400)
                .put("message", "API key not valid. Please pass a valid API key.")
                .put("status", "INVALID_ARGUMENT")
                .put("details", new JsonArray().add(new JsonObject()
                        .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                        .put("reason", "API_KEY_INVALID")
                        .put("domain", "googleapis.com")
                        .put("metadata", new JsonObject().put("service", "generativelanguage.googleapis.com")))))
                .encode();
    }

    private static JsonObject candidate(JsonArray parts, String finishReason) {
        JsonObject candidate = new JsonObject()
                .put("content", new JsonObject().put("parts", parts).put("role", "model"))
                .put("index", 0);
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        return candidate;
    }

    private static JsonObject response(JsonObject candidate) {
        return new JsonObject().put("candidates", new JsonArray().add(candidate))
                .put("usageMetadata", new JsonObject().put("promptTokenCount", 9).put("totalTokenCount", 9))
                .put("modelVersion", UPSTREAM_MODEL)
                .put("responseId", "fakeResp-1");
    }

    private static String event(JsonObject chunk) {
        return "data: " + chunk.encode() + EOL + EOL;
    }
}
