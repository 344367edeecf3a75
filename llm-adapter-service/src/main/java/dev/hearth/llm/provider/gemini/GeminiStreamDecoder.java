package dev.hearth.llm.provider.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.TextDelta;
import dev.hearth.proto.v1.ToolCallDelta;
import dev.hearth.proto.v1.Usage;
import io.grpc.Status;

/**
 * Reads the {@code data:} payloads of one {@code streamGenerateContent?alt=sse} answer, each a
 * whole {@code GenerateContentResponse}, into events, and remembers what {@code GenerateDone}
 * needs. Gemini has no end marker: the chunk carrying {@code finishReason} is the last.
 * One instance per stream.
 */
final class GeminiStreamDecoder {

    private final ObjectMapper json;
    private final String provider;
    private String model;
    private Usage usage = Usage.getDefaultInstance();
    private int toolCalls;
    private volatile FinishReason finishReason;

    GeminiStreamDecoder(ObjectMapper json, String provider, String requestedModel) {
        this.json = json;
        this.provider = provider;
        this.model = requestedModel;
    }

    /** The events one chunk carries (text and tool calls, in the order of its parts). */
    List<GenerateEvent> decode(String data) {
        String payload = data.strip();
        if (payload.isEmpty()) {
            return List.of();
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw ProviderErrors.malformed(provider, "an event is not JSON: " + abbreviate(payload));
        }
        if (!chunk.isObject()) {
            throw ProviderErrors.malformed(provider, "an event is not a JSON object: " + abbreviate(payload));
        }
        JsonNode error = chunk.get("error");
        if (error != null && error.isObject()) {
            throw GeminiErrors.inStream(provider, error);
        }
        String version = chunk.path("modelVersion").asText("");
        if (!version.isBlank()) {
            model = version;
        }
        JsonNode usageNode = chunk.get("usageMetadata");
        if (usageNode != null && usageNode.isObject()) {
            // Thinking is billed as output, as OpenAI's completion_tokens count reasoning tokens.
            usage = Usage.newBuilder()
                    .setPromptTokens(usageNode.path("promptTokenCount").asInt(0))
                    .setCompletionTokens(usageNode.path("candidatesTokenCount").asInt(0)
                            + usageNode.path("thoughtsTokenCount").asInt(0))
                    .build();
        }
        JsonNode candidates = chunk.path("candidates");
        if (!candidates.isArray() || candidates.isEmpty()) {
            String blockReason = chunk.path("promptFeedback").path("blockReason").asText("");
            if (!blockReason.isBlank()) {
                throw Status.INVALID_ARGUMENT.withDescription("provider '" + provider + "' blocked the prompt: "
                        + blockReason).asRuntimeException();
            }
            return List.of(); // e.g. a usage-only chunk
        }
        // We never ask for candidateCount > 1.
        JsonNode candidate = candidates.get(0);
        List<GenerateEvent> events = new ArrayList<>(1);
        for (JsonNode part : candidate.path("content").path("parts")) {
            JsonNode text = part.get("text");
            if (part.path("thought").asBoolean(false)) {
                continue; // a thought summary (includeThoughts): not part of the answer
            }
            if (text != null && text.isTextual() && !text.asText().isEmpty()) {
                events.add(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(text.asText())).build());
            }
            JsonNode call = part.get("functionCall");
            if (call != null && call.isObject()) {
                events.add(GenerateEvent.newBuilder().setToolCall(toolCall(call)).build());
            }
        }
        String reason = candidate.path("finishReason").asText("");
        if (!reason.isBlank() && !reason.equals("FINISH_REASON_UNSPECIFIED")) {
            finishReason = finishReason(reason, candidate.path("finishMessage").asText(""));
        }
        return events;
    }

    /** Whether the chunk with the finish reason has come: the answer is whole. */
    boolean finished() {
        return finishReason != null;
    }

    GenerateEvent done() {
        return GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                .setFinishReason(finishReason == null ? FinishReason.FINISH_REASON_STOP : finishReason)
                .setUsage(usage)
                .setModel(model)
                .setProvider(provider))
                .build();
    }

    // Gemini sends a call whole, args as an object: one delta with the complete JSON.
    private ToolCallDelta toolCall(JsonNode call) {
        String id = call.path("id").asText("");
        JsonNode args = call.path("args");
        return ToolCallDelta.newBuilder()
                .setIndex(toolCalls++)
                // the Gemini API leaves id out unless the model has one; callers need one to answer the call
                .setId(id.isBlank() ? "call_" + UUID.randomUUID().toString().replace("-", "") : id)
                .setName(call.path("name").asText(""))
                .setArgumentsFragment(args.isObject() ? args.toString() : "{}")
                .build();
    }

    private FinishReason finishReason(String reason, String finishMessage) {
        return switch (reason) {
            case "STOP" -> toolCalls > 0 ? FinishReason.FINISH_REASON_TOOL_CALLS : FinishReason.FINISH_REASON_STOP;
            case "MAX_TOKENS" -> FinishReason.FINISH_REASON_LENGTH;
            // The model's tool call came out broken: nothing usable was sent. A failure (UNAVAILABLE)
            // rather than a finish, so the router retries or falls back: another try usually works.
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "MALFORMED_RESPONSE",
                    "MISSING_THOUGHT_SIGNATURE" ->
                throw Status.UNAVAILABLE.withDescription("provider '" + provider + "' ended the answer with "
                        + reason + (finishMessage.isBlank() ? "" : ": " + finishMessage)).asRuntimeException();
            // SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, LANGUAGE, OTHER, IMAGE_*, and reasons
            // to come: the provider withheld (the rest of) the answer. Never pass a cut answer off as whole.
            default -> FinishReason.FINISH_REASON_INCOMPLETE;
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
