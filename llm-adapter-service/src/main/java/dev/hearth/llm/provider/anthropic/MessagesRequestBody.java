package dev.hearth.llm.provider.anthropic;

import java.util.ArrayList;
import java.util.List;
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
 * Writes a {@link GenerateRequest} as an Anthropic Messages request body (a Jackson tree, like
 * the openai dialect: unset parameters are left out, no reflection for native images).
 *
 * <p>Anthropic differs from chat completions: system prompts are a top-level {@code system};
 * roles must alternate, so consecutive messages of one role are merged into one message of
 * content blocks; tool results are {@code tool_result} blocks of a user message (before any
 * text there); tool calls are {@code tool_use} blocks with their input as parsed JSON; and
 * {@code max_tokens} is required.
 *
 * <p>Provider options understood ({@code ProviderRef.options}): {@code max_tokens} (the default
 * when params set none, else {@code hearth.llm.anthropic.default-max-tokens}), {@code top_k}.
 */
final class MessagesRequestBody {

    static final String MAX_TOKENS = "max_tokens";
    static final String TOP_K = "top_k";

    private MessagesRequestBody() {
    }

    /**
     * @param prefill the final assistant message's text as sent, when the request continues it
     *                ({@code continue_final_message}); null otherwise
     */
    static ObjectNode from(GenerateRequest request, Prefill prefill, int defaultMaxTokens, ObjectMapper json) {
        Map<String, String> options = request.getProvider().getOptionsMap();
        ObjectNode body = json.createObjectNode();
        body.put("model", request.getModel());
        body.put("max_tokens", maxTokens(request.getParams(), options, defaultMaxTokens));
        body.put("stream", true);

        List<String> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        int last = request.getMessagesCount() - 1;
        for (int i = 0; i <= last; i++) {
            ChatMessage message = request.getMessages(i);
            if (message.getRole() == Role.ROLE_SYSTEM) {
                if (!message.getContent().isBlank()) {
                    system.add(message.getContent());
                }
                continue;
            }
            String role = message.getRole() == Role.ROLE_ASSISTANT ? "assistant" : "user";
            List<ObjectNode> blocks = blocks(message, i, i == last ? prefill : null, json);
            if (blocks.isEmpty()) {
                continue; // an empty turn: Anthropic rejects empty content
            }
            Turn previous = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (previous != null && previous.role.equals(role)) {
                previous.blocks.addAll(blocks);
            } else {
                turns.add(new Turn(role, new ArrayList<>(blocks)));
            }
        }
        if (turns.isEmpty()) {
            throw ProviderErrors.invalidArgument("messages hold no user or assistant content for dialect anthropic");
        }
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn turn : turns) {
            ObjectNode out = messages.addObject().put("role", turn.role);
            ArrayNode content = out.putArray("content");
            // Anthropic wants a user turn's tool results before its text.
            turn.blocks.stream().filter(MessagesRequestBody::isToolResult).forEach(content::add);
            turn.blocks.stream().filter(block -> !isToolResult(block)).forEach(content::add);
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

    private record Turn(String role, List<ObjectNode> blocks) {
    }

    private static List<ObjectNode> blocks(ChatMessage message, int index, Prefill prefill, ObjectMapper json) {
        List<ObjectNode> blocks = new ArrayList<>();
        switch (message.getRole()) {
            case ROLE_USER -> addText(blocks, message.getContent(), json);
            case ROLE_ASSISTANT -> {
                addText(blocks, prefill != null ? prefill.sent() : message.getContent(), json);
                for (int c = 0; c < message.getToolCallsCount(); c++) {
                    blocks.add(toolUse(message.getToolCalls(c), index, c, json));
                }
            }
            case ROLE_TOOL -> {
                if (message.getToolCallId().isEmpty()) {
                    throw ProviderErrors.invalidArgument("messages[" + index + "] has role tool but no tool_call_id");
                }
                ObjectNode result = json.createObjectNode().put("type", "tool_result")
                        .put("tool_use_id", message.getToolCallId());
                if (!message.getContent().isEmpty()) {
                    result.put("content", message.getContent());
                }
                blocks.add(result);
            }
            default -> throw ProviderErrors.invalidArgument("messages[" + index + "] has no role");
        }
        return blocks;
    }

    private static void addText(List<ObjectNode> blocks, String text, ObjectMapper json) {
        if (!text.isEmpty()) {
            blocks.add(json.createObjectNode().put("type", "text").put("text", text));
        }
    }

    private static ObjectNode toolUse(ToolCall call, int message, int position, ObjectMapper json) {
        String where = "messages[" + message + "].tool_calls[" + position + "]";
        if (call.getId().isEmpty() || call.getName().isEmpty()) {
            throw ProviderErrors.invalidArgument(where + " needs an id and a name");
        }
        JsonNode input;
        if (call.getArgumentsJson().isBlank()) {
            input = json.createObjectNode();
        } else {
            try {
                input = json.readTree(call.getArgumentsJson());
            } catch (JsonProcessingException e) {
                throw ProviderErrors.invalidArgument(where + " (" + call.getName()
                        + ") arguments_json is not JSON: " + e.getOriginalMessage());
            }
            if (!input.isObject()) {
                // Anthropic takes a tool call's input as an object only.
                throw ProviderErrors.invalidArgument(where + " (" + call.getName()
                        + ") arguments_json must be a JSON object");
            }
        }
        ObjectNode block = json.createObjectNode().put("type", "tool_use").put("id", call.getId())
                .put("name", call.getName());
        block.set("input", input);
        return block;
    }

    private static boolean isToolResult(JsonNode block) {
        return "tool_result".equals(block.path("type").asText());
    }

    private static int maxTokens(GenerationParams params, Map<String, String> options, int defaultMaxTokens) {
        if (params.hasMaxTokens()) {
            return params.getMaxTokens();
        }
        String option = options.get(MAX_TOKENS);
        return option == null ? defaultMaxTokens : positiveOption(MAX_TOKENS, option, 1);
    }

    private static void params(GenerationParams params, Map<String, String> options, ObjectNode body) {
        if (params.hasTemperature()) {
            body.put("temperature", params.getTemperature());
        }
        if (params.hasTopP()) {
            body.put("top_p", params.getTopP());
        }
        String topK = options.get(TOP_K);
        if (topK != null) {
            body.put("top_k", positiveOption(TOP_K, topK, 0));
        }
        if (params.getStopCount() > 0) {
            ArrayNode stop = body.putArray("stop_sequences");
            params.getStopList().forEach(stop::add);
        }
    }

    private static int positiveOption(String name, String value, int min) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProviderErrors.invalidArgument("provider option " + name + " must be a whole number of at least "
                + min + ", not '" + value + "'");
    }

    private static ObjectNode tool(ToolSpec spec, int index, ObjectMapper json) {
        if (spec.getName().isBlank()) {
            throw ProviderErrors.invalidArgument("tools[" + index + "] has no name");
        }
        JsonNode schema;
        if (spec.getInputSchemaJson().isBlank()) {
            schema = json.createObjectNode().put("type", "object").set("properties", json.createObjectNode());
        } else {
            try {
                schema = json.readTree(spec.getInputSchemaJson());
            } catch (JsonProcessingException e) {
                throw ProviderErrors.invalidArgument("tools[" + index + "] (" + spec.getName()
                        + ") input_schema_json is not JSON: " + e.getOriginalMessage());
            }
            if (!schema.isObject()) {
                throw ProviderErrors.invalidArgument("tools[" + index + "] (" + spec.getName()
                        + ") input_schema_json must be a JSON object");
            }
        }
        ObjectNode tool = json.createObjectNode().put("name", spec.getName());
        if (!spec.getDescription().isEmpty()) {
            tool.put("description", spec.getDescription());
        }
        tool.set("input_schema", schema);
        return tool;
    }
}
