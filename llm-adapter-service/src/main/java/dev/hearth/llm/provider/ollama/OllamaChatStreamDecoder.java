package dev.hearth.llm.provider.ollama;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

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
 * Reads the NDJSON lines of one {@code /api/chat} answer into events. Each line is a whole
 * JSON object: {@code message.content} is text, {@code message.tool_calls} holds whole calls
 * (arguments as an object), and the line with {@code "done": true} ends the answer with the
 * finish reason and token counts. {@code message.thinking} is not passed on: hearth.v1 has no
 * channel for it and it is not part of the answer.
 *
 * <p>One instance per stream; lines arrive one at a time. {@link #finished()} may be asked
 * from a timer thread, hence the volatile flag.
 */
final class OllamaChatStreamDecoder {

    private final ObjectMapper json;
    private final String provider;
    private String model;
    private int toolCalls;
    private String doneReason = "";
    private Usage usage = Usage.getDefaultInstance();
    private volatile boolean done;
    private String unparsedLine;

    OllamaChatStreamDecoder(ObjectMapper json, String provider, String requestedModel) {
        this.json = json;
        this.provider = provider;
        this.model = requestedModel;
    }

    /**
     * The events one line carries: text, tool calls, and for the {@code done} line a
     * {@link GenerateDone} last, after which nothing more belongs to the answer.
     */
    List<GenerateEvent> decode(String line) {
        if (unparsedLine != null) {
            throw ProviderErrors.malformed(provider, "a line is not JSON: " + abbreviate(unparsedLine));
        }
        String payload = line.strip();
        if (payload.isEmpty()) {
            return List.of();
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(payload);
        } catch (JsonProcessingException e) {
            // Held, not thrown: as the last line before the body ends it is an answer cut short
            // (the stream then fails as truncated); followed by another line it is garbage.
            unparsedLine = payload;
            return List.of();
        }
        if (!chunk.isObject()) {
            throw ProviderErrors.malformed(provider, "a line is not a JSON object: " + abbreviate(payload));
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw streamError(chunk);
        }
        String chunkModel = chunk.path("model").asText("");
        if (!chunkModel.isBlank()) {
            model = chunkModel;
        }
        List<GenerateEvent> events = new ArrayList<>(1);
        JsonNode message = chunk.path("message");
        JsonNode content = message.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            events.add(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(content.asText())).build());
        }
        for (JsonNode call : message.path("tool_calls")) {
            events.add(GenerateEvent.newBuilder().setToolCall(toolCall(call)).build());
        }
        if (chunk.path("done").asBoolean(false)) {
            doneReason = chunk.path("done_reason").asText("");
            usage = Usage.newBuilder()
                    .setPromptTokens(chunk.path("prompt_eval_count").asInt(0))
                    .setCompletionTokens(chunk.path("eval_count").asInt(0))
                    .build();
            done = true;
            events.add(done());
        }
        return events;
    }

    /** Whether the {@code done} line has arrived: the answer is whole. */
    boolean finished() {
        return done;
    }

    GenerateEvent done() {
        return GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                .setFinishReason(finishReason())
                .setUsage(usage)
                .setModel(model)
                .setProvider(provider))
                .build();
    }

    // Ollama says "stop" after a turn that called tools too; the router needs to know it did.
    private FinishReason finishReason() {
        if (doneReason.equals("length")) {
            return FinishReason.FINISH_REASON_LENGTH;
        }
        return toolCalls > 0 ? FinishReason.FINISH_REASON_TOOL_CALLS : FinishReason.FINISH_REASON_STOP;
    }

    // Calls arrive whole, one or more per line: each gets an index of its own. Older Ollama
    // versions send no id; the router needs one to pair the result with its call.
    private ToolCallDelta toolCall(JsonNode call) {
        JsonNode function = call.path("function");
        JsonNode arguments = function.path("arguments");
        String id = call.path("id").asText("");
        return ToolCallDelta.newBuilder()
                .setIndex(toolCalls++)
                .setId(id.isBlank() ? "call_" + UUID.randomUUID().toString().replace("-", "") : id)
                .setName(function.path("name").asText(""))
                .setArgumentsFragment(arguments.isObject() ? arguments.toString()
                        // some servers mimicking Ollama send the OpenAI shape, a JSON string
                        : arguments.isTextual() ? arguments.asText() : "{}")
                .build();
    }

    // Ollama reports a failure after the 200 as a line {"error": "..."}; proxies may add a status.
    private RuntimeException streamError(JsonNode chunk) {
        String message = UpstreamErrorMessage.fromJson(chunk);
        JsonNode code = chunk.has("status") ? chunk.path("status") : chunk.path("code");
        int httpStatus = code.canConvertToInt() ? code.asInt() : 0;
        if (httpStatus >= 400 && httpStatus < 600) {
            return ProviderErrors.fromHttpStatus(provider, httpStatus, message, OptionalLong.empty());
        }
        return Status.UNAVAILABLE.withDescription("provider '" + provider + "' failed mid-stream: "
                + (message == null ? chunk.toString() : message)).asRuntimeException();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
