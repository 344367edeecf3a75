package dev.hearth.llm.provider.anthropic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

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
 * Reads the events of one Messages stream ({@code message_start}, {@code content_block_*},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}) into hearth events,
 * and remembers what the final {@code GenerateDone} needs. Event types it does not know are
 * skipped: Anthropic says new ones may appear. One instance per stream; {@link #finished()}
 * may be asked from a timer thread, hence the volatile flag.
 */
final class MessagesStreamDecoder {

    private final ObjectMapper json;
    private final String provider;
    private final ContinuationTrimmer trimmer;
    private String model;
    private FinishReason finishReason;
    private int inputTokens;
    private int outputTokens;
    /** tool_use blocks by index: their start, until a delta shows the input streams. */
    private final Map<Integer, JsonNode> toolInputsAtStart = new HashMap<>();
    private volatile boolean stopped;

    MessagesStreamDecoder(ObjectMapper json, String provider, String requestedModel, ContinuationTrimmer trimmer) {
        this.json = json;
        this.provider = provider;
        this.model = requestedModel;
        this.trimmer = trimmer;
    }

    /** One SSE data payload as JSON; a missing node for an empty one (a keep-alive without data). */
    JsonNode parse(String data) {
        String payload = data.strip();
        if (payload.isEmpty()) {
            return MissingNode.getInstance();
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw ProviderErrors.malformed(provider, "an event is not JSON: " + abbreviate(payload));
        }
        if (!event.isObject()) {
            throw ProviderErrors.malformed(provider, "an event is not a JSON object: " + abbreviate(payload));
        }
        return event;
    }

    /** True for {@code message_stop}, the end of the answer; remembers having seen it. */
    boolean isMessageStop(JsonNode event) {
        if ("message_stop".equals(event.path("type").asText())) {
            stopped = true;
            return true;
        }
        return false;
    }

    /** The hearth events one Messages event carries: zero or one. */
    List<GenerateEvent> decode(JsonNode event) {
        return switch (event.path("type").asText()) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                String answered = message.path("model").asText("");
                if (!answered.isBlank()) {
                    model = answered;
                }
                usage(message.path("usage"));
                yield List.of();
            }
            case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
            case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
            case "content_block_stop" -> blockStop(event.path("index").asInt());
            case "message_delta" -> {
                JsonNode reason = event.path("delta").path("stop_reason");
                if (reason.isTextual()) {
                    finishReason = finishReason(reason.asText());
                }
                usage(event.path("usage"));
                yield List.of();
            }
            case "error" -> throw streamError(event.path("error"));
            // "ping" (a keep-alive: its arrival is what counts), and types yet to come
            default -> List.of();
        };
    }

    /** Whether the upstream said the answer is complete ({@code message_stop}). */
    boolean finished() {
        return stopped;
    }

    GenerateEvent done() {
        return GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                .setFinishReason(finishReason == null ? FinishReason.FINISH_REASON_STOP : finishReason)
                .setUsage(Usage.newBuilder().setPromptTokens(inputTokens).setCompletionTokens(outputTokens))
                .setModel(model)
                .setProvider(provider))
                .build();
    }

    private List<GenerateEvent> blockStart(int index, JsonNode block) {
        switch (block.path("type").asText()) {
            case "text" -> {
                return text(block.path("text").asText(""));
            }
            case "tool_use" -> {
                trimmer.stop();
                toolInputsAtStart.put(index, block.path("input"));
                return List.of(toolCall(ToolCallDelta.newBuilder().setIndex(index)
                        .setId(block.path("id").asText("")).setName(block.path("name").asText(""))));
            }
            default -> {
                return List.of(); // thinking, redacted_thinking, server tools: not part of the answer
            }
        }
    }

    private List<GenerateEvent> blockDelta(int index, JsonNode delta) {
        switch (delta.path("type").asText()) {
            case "text_delta" -> {
                return text(delta.path("text").asText(""));
            }
            case "input_json_delta" -> {
                toolInputsAtStart.remove(index);
                String fragment = delta.path("partial_json").asText("");
                return fragment.isEmpty() ? List.of()
                        : List.of(toolCall(ToolCallDelta.newBuilder().setIndex(index).setArgumentsFragment(fragment)));
            }
            default -> {
                return List.of(); // thinking_delta, signature_delta, citations_delta
            }
        }
    }

    // Anthropic starts a tool_use block with "input": {} and streams the input as deltas. A
    // compatible server that puts the whole input in the start instead still gets it through.
    private List<GenerateEvent> blockStop(int index) {
        JsonNode input = toolInputsAtStart.remove(index);
        if (input != null && input.isObject() && !input.isEmpty()) {
            return List.of(toolCall(ToolCallDelta.newBuilder().setIndex(index).setArgumentsFragment(input.toString())));
        }
        return List.of();
    }

    private List<GenerateEvent> text(String text) {
        String unseen = trimmer.trim(text);
        return unseen.isEmpty() ? List.of()
                : List.of(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(unseen)).build());
    }

    private static GenerateEvent toolCall(ToolCallDelta.Builder call) {
        return GenerateEvent.newBuilder().setToolCall(call).build();
    }

    // message_start carries the input count, message_delta the cumulative output count (and, on
    // newer API versions, the input count again). The prompt is what was read: cached or not.
    private void usage(JsonNode usage) {
        if (!usage.isObject()) {
            return;
        }
        if (usage.has("input_tokens")) {
            inputTokens = usage.path("input_tokens").asInt(0)
                    + usage.path("cache_creation_input_tokens").asInt(0)
                    + usage.path("cache_read_input_tokens").asInt(0);
        }
        if (usage.has("output_tokens")) {
            outputTokens = usage.path("output_tokens").asInt(0);
        }
    }

    private static FinishReason finishReason(String reason) {
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.FINISH_REASON_LENGTH;
            case "tool_use" -> FinishReason.FINISH_REASON_TOOL_CALLS;
            // The model declined (refusal) or paused a server-tool turn (pause_turn): the answer
            // is not whole, and must not pass for it.
            case "refusal", "pause_turn" -> FinishReason.FINISH_REASON_INCOMPLETE;
            // end_turn, stop_sequence, and whatever new reason means "done"
            default -> FinishReason.FINISH_REASON_STOP;
        };
    }

    // An error after the 200: the type says what an HTTP status would have said.
    private RuntimeException streamError(JsonNode error) {
        String type = error.path("type").asText("");
        String message = UpstreamErrorMessage.fromJson(error);
        Integer httpStatus = AnthropicErrorTypes.httpStatus(type);
        Status.Code code = httpStatus == null ? Status.Code.UNAVAILABLE : ProviderErrors.codeForHttpStatus(httpStatus);
        return Status.fromCode(code).withDescription("provider '" + provider + "' failed mid-stream"
                + (type.isEmpty() ? "" : " (" + type + ")") + ": " + (message == null ? error.toString() : message))
                .asRuntimeException();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
