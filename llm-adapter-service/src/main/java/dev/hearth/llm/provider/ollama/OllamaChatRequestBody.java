package dev.hearth.llm.provider.ollama;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * Writes a {@link GenerateRequest} as the body of Ollama's {@code POST /api/chat}. A Jackson
 * tree like the openai dialect's: unset parameters are left out, so the model's Modelfile
 * defaults apply.
 *
 * <p>Differences from OpenAI's shape: sampling parameters go in {@code options} (max tokens is
 * {@code num_predict}), tool-call arguments are JSON objects rather than strings, and a tool
 * result names its tool ({@code tool_name}).
 *
 * <p>Provider options understood ({@code ProviderRef.options}): {@code num_ctx}, {@code top_k},
 * {@code seed} (whole numbers), {@code min_p}, {@code repeat_penalty} (numbers) go into
 * {@code options}; {@code keep_alive} (a duration such as {@code 30m}, or seconds; negative keeps
 * the model loaded) and {@code think} ({@code true}/{@code false}, or a level such as {@code low})
 * go at the top level.
 */
final class OllamaChatRequestBody {

    static final List<String> WHOLE_NUMBER_OPTIONS = List.of("num_ctx", "top_k", "seed");
    static final List<String> NUMBER_OPTIONS = List.of("min_p", "repeat_penalty");
    static final String KEEP_ALIVE = "keep_alive";
    static final String THINK = "think";

    private OllamaChatRequestBody() {
    }

    static ObjectNode from(GenerateRequest request, ObjectMapper json) {
        Map<String, String> providerOptions = request.getProvider().getOptionsMap();
        ObjectNode body = json.createObjectNode();
        body.put("model", request.getModel());
        body.put("stream", true);
        body.set("messages", messages(request, json));
        if (request.getToolsCount() > 0) {
            ArrayNode tools = body.putArray("tools");
            for (int i = 0; i < request.getToolsCount(); i++) {
                tools.add(tool(request.getTools(i), i, json));
            }
        }
        ObjectNode options = options(request.getParams(), providerOptions, json);
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        String keepAlive = providerOptions.getOrDefault(KEEP_ALIVE, "").strip();
        if (!keepAlive.isEmpty()) {
            // A bare number is seconds to Ollama; a string must carry a unit ("10m").
            BigDecimal seconds = number(keepAlive);
            if (seconds != null) {
                body.put(KEEP_ALIVE, seconds);
            } else {
                body.put(KEEP_ALIVE, keepAlive);
            }
        }
        String think = providerOptions.getOrDefault(THINK, "").strip().toLowerCase(Locale.ROOT);
        if (think.equals("true") || think.equals("false")) {
            body.put(THINK, Boolean.parseBoolean(think));
        } else if (!think.isEmpty()) {
            body.put(THINK, think); // a level: "low", "medium", "high"; Ollama says if it knows none
        }
        return body;
    }

    private static ArrayNode messages(GenerateRequest request, ObjectMapper json) {
        int count = request.getMessagesCount();
        if (request.getContinueFinalMessage()
                && (count == 0 || request.getMessages(count - 1).getRole() != Role.ROLE_ASSISTANT)) {
            throw ProviderErrors.invalidArgument("continue_final_message is set, but the last message is not "
                    + "the partial assistant answer to continue");
        }
        // Tool results name their tool; the router may only give the call's id, so remember the names.
        Map<String, String> toolNamesByCallId = new HashMap<>();
        ArrayNode messages = json.createArrayNode();
        for (int i = 0; i < count; i++) {
            messages.add(message(request.getMessages(i), i, toolNamesByCallId, json));
        }
        // A last assistant message is continued, not answered: Ollama's templates and renderers
        // leave that turn open (prefill), so the model writes on from its last character and the
        // stream carries only the continuation. That is how continue_final_message is honoured.
        return messages;
    }

    private static ObjectNode message(ChatMessage message, int index, Map<String, String> toolNamesByCallId,
            ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        switch (message.getRole()) {
            case ROLE_SYSTEM -> out.put("role", "system").put("content", message.getContent());
            case ROLE_USER -> out.put("role", "user").put("content", message.getContent());
            case ROLE_ASSISTANT -> {
                out.put("role", "assistant").put("content", message.getContent());
                if (message.getToolCallsCount() > 0) {
                    ArrayNode calls = out.putArray("tool_calls");
                    for (int j = 0; j < message.getToolCallsCount(); j++) {
                        ToolCall call = message.getToolCalls(j);
                        ObjectNode c = calls.addObject();
                        if (!call.getId().isEmpty()) {
                            c.put("id", call.getId()); // newer Ollama keeps ids; older ones ignore the field
                            toolNamesByCallId.put(call.getId(), call.getName());
                        }
                        c.putObject("function").put("name", call.getName())
                                .set("arguments", arguments(call, index, j, json));
                    }
                }
            }
            case ROLE_TOOL -> {
                String toolName = !message.getName().isEmpty() ? message.getName()
                        : toolNamesByCallId.getOrDefault(message.getToolCallId(), "");
                if (toolName.isEmpty() && message.getToolCallId().isEmpty()) {
                    throw ProviderErrors.invalidArgument("messages[" + index
                            + "] has role tool but neither tool_call_id nor name");
                }
                out.put("role", "tool").put("content", message.getContent());
                if (!toolName.isEmpty()) {
                    out.put("tool_name", toolName);
                }
                if (!message.getToolCallId().isEmpty()) {
                    out.put("tool_call_id", message.getToolCallId());
                }
            }
            default -> throw ProviderErrors.invalidArgument("messages[" + index + "] has no role");
        }
        return out;
    }

    private static JsonNode arguments(ToolCall call, int messageIndex, int callIndex, ObjectMapper json) {
        if (call.getArgumentsJson().isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode arguments = json.readTree(call.getArgumentsJson());
            if (arguments.isObject()) {
                return arguments;
            }
        } catch (JsonProcessingException notJson) {
            // reported below
        }
        throw ProviderErrors.invalidArgument("messages[" + messageIndex + "].tool_calls[" + callIndex + "] ("
                + call.getName() + ") arguments_json is not a JSON object");
    }

    private static ObjectNode options(GenerationParams params, Map<String, String> providerOptions,
            ObjectMapper json) {
        ObjectNode options = json.createObjectNode();
        if (params.hasTemperature()) {
            options.put("temperature", params.getTemperature());
        }
        if (params.hasTopP()) {
            options.put("top_p", params.getTopP());
        }
        if (params.hasMaxTokens()) {
            options.put("num_predict", params.getMaxTokens());
        }
        if (params.getStopCount() > 0) {
            ArrayNode stop = options.putArray("stop");
            params.getStopList().forEach(stop::add);
        }
        for (String name : WHOLE_NUMBER_OPTIONS) {
            String value = providerOptions.getOrDefault(name, "").strip();
            if (!value.isEmpty()) {
                try {
                    options.put(name, Long.parseLong(value));
                } catch (NumberFormatException e) {
                    throw ProviderErrors.invalidArgument("provider option " + name + " must be a whole number, not '"
                            + value + "'");
                }
            }
        }
        for (String name : NUMBER_OPTIONS) {
            String value = providerOptions.getOrDefault(name, "").strip();
            if (!value.isEmpty()) {
                BigDecimal number = number(value);
                if (number == null) {
                    throw ProviderErrors.invalidArgument("provider option " + name + " must be a number, not '"
                            + value + "'");
                }
                options.put(name, number);
            }
        }
        return options;
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

    private static BigDecimal number(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
