package dev.hearth.llm.provider.openai;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolSpec;

/**
 * Writes a {@link GenerateRequest} as an OpenAI chat completions request body. A Jackson tree,
 * not DTO classes: unset parameters are simply left out (servers differ on what they accept),
 * and it needs no reflection registration for native images.
 *
 * <p>Provider options understood ({@code ProviderRef.options}):
 * <ul>
 * <li>{@code include_usage} ({@code true}): send {@code stream_options.include_usage}; set
 * {@code false} for servers that reject unknown fields.</li>
 * <li>{@code max_tokens_field} ({@code max_tokens}): OpenAI's reasoning models want
 * {@code max_completion_tokens} instead.</li>
 * </ul>
 */
final class ChatCompletionRequestBody {

    static final String INCLUDE_USAGE = "include_usage";
    static final String MAX_TOKENS_FIELD = "max_tokens_field";

    private ChatCompletionRequestBody() {
    }

    static ObjectNode from(GenerateRequest request, ObjectMapper json) {
        Map<String, String> options = request.getProvider().getOptionsMap();
        ObjectNode body = json.createObjectNode();
        body.put("model", request.getModel());
        body.put("stream", true);
        if (!"false".equalsIgnoreCase(options.getOrDefault(INCLUDE_USAGE, "true").strip())) {
            // without it the stream carries no token counts at all
            body.putObject("stream_options").put("include_usage", true);
        }
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < request.getMessagesCount(); i++) {
            messages.add(message(request.getMessages(i), i, json));
        }
        params(request.getParams(), options, body);
        if (request.getToolsCount() > 0) {
            ArrayNode tools = body.putArray("tools");
            for (int i = 0; i < request.getToolsCount(); i++) {
                tools.add(tool(request.getTools(i), i, json));
            }
        }
        return body;
    }

    private static ObjectNode message(ChatMessage message, int index, ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        switch (message.getRole()) {
            case ROLE_SYSTEM -> out.put("role", "system").put("content", message.getContent());
            case ROLE_USER -> out.put("role", "user").put("content", message.getContent());
            case ROLE_ASSISTANT -> {
                out.put("role", "assistant");
                if (message.getToolCallsCount() == 0 || !message.getContent().isEmpty()) {
                    out.put("content", message.getContent());
                } else {
                    out.putNull("content"); // what OpenAI itself returns for a pure tool-call turn
                }
                if (message.getToolCallsCount() > 0) {
                    ArrayNode calls = out.putArray("tool_calls");
                    for (ToolCall call : message.getToolCallsList()) {
                        ObjectNode c = calls.addObject().put("id", call.getId()).put("type", "function");
                        c.putObject("function").put("name", call.getName())
                                .put("arguments", call.getArgumentsJson().isBlank() ? "{}" : call.getArgumentsJson());
                    }
                }
            }
            case ROLE_TOOL -> {
                if (message.getToolCallId().isEmpty()) {
                    throw ProviderErrors.invalidArgument("messages[" + index + "] has role tool but no tool_call_id");
                }
                out.put("role", "tool").put("tool_call_id", message.getToolCallId()).put("content", message.getContent());
            }
            default -> throw ProviderErrors.invalidArgument("messages[" + index + "] has no role");
        }
        if (!message.getName().isEmpty() && message.getRole() != Role.ROLE_TOOL) {
            out.put("name", message.getName());
        }
        return out;
    }

    private static void params(GenerationParams params, Map<String, String> options, ObjectNode body) {
        if (params.hasTemperature()) {
            body.put("temperature", params.getTemperature());
        }
        if (params.hasTopP()) {
            body.put("top_p", params.getTopP());
        }
        if (params.hasMaxTokens()) {
            String field = options.getOrDefault(MAX_TOKENS_FIELD, "max_tokens").strip();
            if (!field.equals("max_tokens") && !field.equals("max_completion_tokens")) {
                throw ProviderErrors.invalidArgument("provider option max_tokens_field must be max_tokens or "
                        + "max_completion_tokens, not '" + field + "'");
            }
            body.put(field, params.getMaxTokens());
        }
        if (params.getStopCount() > 0) {
            ArrayNode stop = body.putArray("stop");
            params.getStopList().forEach(stop::add);
        }
    }

    private static ObjectNode tool(ToolSpec spec, int index, ObjectMapper json) {
        if (spec.getName().isBlank()) {
            throw ProviderErrors.invalidArgument("tools[" + index + "] has no name");
        }
        JsonNode parameters;
        if (spec.getInputSchemaJson().isBlank()) {
            parameters = json.createObjectNode().put("type", "object").set("properties", json.createObjectNode());
        } else {
            try {
                parameters = json.readTree(spec.getInputSchemaJson());
            } catch (JsonProcessingException e) {
                throw ProviderErrors.invalidArgument("tools[" + index + "] (" + spec.getName()
                        + ") input_schema_json is not JSON: " + e.getOriginalMessage());
            }
            if (!parameters.isObject()) {
                throw ProviderErrors.invalidArgument("tools[" + index + "] (" + spec.getName()
                        + ") input_schema_json must be a JSON object");
            }
        }
        ObjectNode tool = json.createObjectNode().put("type", "function");
        ObjectNode function = tool.putObject("function").put("name", spec.getName());
        if (!spec.getDescription().isEmpty()) {
            function.put("description", spec.getDescription());
        }
        function.set("parameters", parameters);
        return tool;
    }
}
