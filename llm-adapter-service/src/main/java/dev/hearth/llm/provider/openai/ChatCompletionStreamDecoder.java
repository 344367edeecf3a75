package dev.hearth.llm.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.provider.UpstreamErrorMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.TextDelta;
import dev.hearth.proto.v1.ToolCallDelta;
import dev.hearth.proto.v1.Usage;
import io.grpc.Status;

/**
 * Reads the {@code data:} payloads of one chat completions stream into events, and remembers
 * what the final {@code GenerateDone} needs: the finish reason, usage, the model that answered.
 * One instance per stream: items arrive one at a time; {@link #finished()} may be asked from
 * a timer thread, hence the volatile flags.
 */
final class ChatCompletionStreamDecoder {

    private static final String DONE_MARKER = "[DONE]";

    private final ObjectMapper json;
    private final String provider;
    private String model;
    private volatile FinishReason finishReason;
    private Usage usage = Usage.getDefaultInstance();
    private volatile boolean doneMarkerSeen;

    ChatCompletionStreamDecoder(ObjectMapper json, String provider, String requestedModel) {
        this.json = json;
        this.provider = provider;
        this.model = requestedModel;
    }

    /** True for {@code [DONE]}, which ends the answer; remembers having seen it. */
    boolean isDoneMarker(String data) {
        if (DONE_MARKER.equals(data.strip())) {
            doneMarkerSeen = true;
            return true;
        }
        return false;
    }

    /** The events one chunk carries: zero (role-only, usage-only chunks) or more. */
    List<GenerateEvent> decode(String data) {
        String payload = data.strip();
        if (payload.isEmpty()) {
            return List.of(); // an empty event, e.g. a lone keep-alive line
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
        if (error != null && !error.isNull()) {
            throw streamError(error);
        }
        String chunkModel = chunk.path("model").asText("");
        if (!chunkModel.isBlank()) {
            model = chunkModel;
        }
        JsonNode usageNode = chunk.get("usage");
        if (usageNode != null && usageNode.isObject()) {
            usage = Usage.newBuilder()
                    .setPromptTokens(usageNode.path("prompt_tokens").asInt(0))
                    .setCompletionTokens(usageNode.path("completion_tokens").asInt(0))
                    .build();
        }
        JsonNode choices = chunk.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return List.of(); // the final usage chunk has "choices": []
        }
        // We never ask for n > 1, so the first choice is the answer.
        JsonNode choice = choices.get(0);
        // "message" instead of "delta": a server that ignored stream:true and sent one whole answer.
        JsonNode delta = choice.has("delta") ? choice.path("delta") : choice.path("message");
        List<GenerateEvent> events = new ArrayList<>(1);
        JsonNode content = delta.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            events.add(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(content.asText())).build());
        }
        JsonNode toolCalls = delta.path("tool_calls");
        for (int i = 0; i < toolCalls.size(); i++) {
            ToolCallDelta call = toolCall(toolCalls.get(i), i);
            if (call != null) {
                events.add(GenerateEvent.newBuilder().setToolCall(call).build());
            }
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual() && !finish.asText().isBlank()) {
            finishReason = finishReason(finish.asText());
        }
        return events;
    }

    /** Whether the upstream said the answer is complete, by {@code [DONE]} or a finish reason. */
    boolean finished() {
        return doneMarkerSeen || finishReason != null;
    }

    GenerateEvent done() {
        return GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                .setFinishReason(finishReason == null ? FinishReason.FINISH_REASON_STOP : finishReason)
                .setUsage(usage)
                .setModel(model)
                .setProvider(provider))
                .build();
    }

    private static ToolCallDelta toolCall(JsonNode fragment, int position) {
        JsonNode function = fragment.path("function");
        JsonNode arguments = function.path("arguments");
        String args = arguments.isTextual() ? arguments.asText()
                // a few servers send the arguments as an object instead of a JSON string
                : arguments.isObject() ? arguments.toString() : "";
        String id = fragment.path("id").asText("");
        String name = function.path("name").asText("");
        if (id.isEmpty() && name.isEmpty() && args.isEmpty()) {
            return null;
        }
        return ToolCallDelta.newBuilder()
                .setIndex(fragment.path("index").asInt(position))
                .setId(id)
                .setName(name)
                .setArgumentsFragment(args)
                .build();
    }

    private static FinishReason finishReason(String reason) {
        return switch (reason) {
            case "length" -> FinishReason.FINISH_REASON_LENGTH;
            case "tool_calls", "function_call" -> FinishReason.FINISH_REASON_TOOL_CALLS;
            // The provider withheld (the rest of) the answer. hearth.v1 has no "content_filter"
            // reason; "incomplete" at least never passes a cut answer off as whole.
            case "content_filter" -> FinishReason.FINISH_REASON_INCOMPLETE;
            // "stop", and servers' own words for it ("eos", "end_turn", ...)
            default -> FinishReason.FINISH_REASON_STOP;
        };
    }

    // OpenRouter, vLLM and OpenAI report failures after the 200 as an event: {"error": {...}}.
    private RuntimeException streamError(JsonNode error) {
        String message = UpstreamErrorMessage.fromJson(error);
        JsonNode code = error.path("code");
        int httpStatus = code.canConvertToInt() ? code.asInt() : 0;
        if (httpStatus >= 400 && httpStatus < 600) {
            return ProviderErrors.fromHttpStatus(provider, httpStatus, message, OptionalLong.empty());
        }
        return Status.UNAVAILABLE.withDescription("provider '" + provider + "' failed mid-stream: "
                + (message == null ? error.toString() : message)).asRuntimeException();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
