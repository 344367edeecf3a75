package dev.hearth.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of an OpenAI Chat Completions request Hearth uses, read leniently (unknown fields are
 * ignored) but strictly typed: a field of the wrong type is a 400 naming it.
 *
 * @param model the requested profile; "" for the user's default ({@code default} or absent)
 * @param params null when the request overrides no sampling parameter
 */
record CompletionRequest(String model, String requestedModel, List<ChatMessage> messages, GenerationParams params,
        boolean stream, boolean includeUsage) {

    static final String DEFAULT_MODEL = "default";
    private static final Map<String, Role> ROLES = Map.of(
            "system", Role.ROLE_SYSTEM, "developer", Role.ROLE_SYSTEM, "user", Role.ROLE_USER,
            "assistant", Role.ROLE_ASSISTANT, "tool", Role.ROLE_TOOL);

    static CompletionRequest parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw OpenAiError.invalidRequest(null, "the body must be a JSON object");
        }
        String model = optionalText(root, "model");
        String requested = model == null || model.isEmpty() ? DEFAULT_MODEL : model;
        String profile = DEFAULT_MODEL.equals(requested) ? "" : requested;
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw OpenAiError.invalidRequest("n", "only n = 1 is supported");
        }
        boolean stream = optionalBoolean(root, "stream");
        JsonNode options = root.get("stream_options");
        boolean includeUsage = options != null && options.isObject() && optionalBoolean(options, "include_usage");
        return new CompletionRequest(profile, requested, messages(root.get("messages")), params(root), stream, includeUsage);
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalidRequest("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> result = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            result.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return result;
    }

    private static ChatMessage message(JsonNode message, String where) {
        if (!message.isObject()) {
            throw OpenAiError.invalidRequest(where, where + " must be an object");
        }
        String roleName = optionalText(message, "role", where + ".role");
        Role role = roleName == null ? null : ROLES.get(roleName);
        if (role == null) {
            throw OpenAiError.invalidRequest(where + ".role",
                    where + ".role must be one of system, developer, user, assistant, tool");
        }
        ChatMessage.Builder built = ChatMessage.newBuilder().setRole(role)
                .setContent(content(message.get("content"), where + ".content"));
        String name = optionalText(message, "name", where + ".name");
        if (name != null) {
            built.setName(name);
        }
        if (role == Role.ROLE_TOOL) {
            String callId = optionalText(message, "tool_call_id", where + ".tool_call_id");
            if (callId == null || callId.isEmpty()) {
                throw OpenAiError.invalidRequest(where + ".tool_call_id", "a tool message needs tool_call_id");
            }
            built.setToolCallId(callId);
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            if (role != Role.ROLE_ASSISTANT || !calls.isArray()) {
                throw OpenAiError.invalidRequest(where + ".tool_calls", "tool_calls must be an array on an assistant message");
            }
            for (int i = 0; i < calls.size(); i++) {
                built.addToolCalls(toolCall(calls.get(i), where + ".tool_calls[" + i + "]"));
            }
        }
        return built.build();
    }

    private static ToolCall toolCall(JsonNode call, String where) {
        JsonNode function = call.get("function");
        if (!call.isObject() || function == null || !function.isObject()) {
            throw OpenAiError.invalidRequest(where, where + " must be {id, type: function, function: {name, arguments}}");
        }
        String id = optionalText(call, "id", where + ".id");
        String name = optionalText(function, "name", where + ".function.name");
        String arguments = optionalText(function, "arguments", where + ".function.arguments");
        if (name == null || name.isEmpty()) {
            throw OpenAiError.invalidRequest(where + ".function.name", "a tool call needs a function name");
        }
        return ToolCall.newBuilder().setId(id == null ? "" : id).setName(name)
                .setArgumentsJson(arguments == null ? "{}" : arguments).build();
    }

    /** A string, or text parts ({@code [{"type":"text","text":…}]}) joined; null is "". */
    private static String content(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw OpenAiError.invalidRequest(where + "[" + i + "]", "only text content parts are supported");
                }
                text.append(part.get("text").textValue());
            }
            return text.toString();
        }
        throw OpenAiError.invalidRequest(where, where + " must be a string or an array of text parts");
    }

    private static GenerationParams params(JsonNode root) {
        GenerationParams.Builder params = GenerationParams.newBuilder();
        boolean any = false;
        Double temperature = optionalNumber(root, "temperature", 0, 2);
        if (temperature != null) {
            params.setTemperature(temperature);
            any = true;
        }
        Double topP = optionalNumber(root, "top_p", 0, 1);
        if (topP != null) {
            params.setTopP(topP);
            any = true;
        }
        Integer maxTokens = optionalPositiveInt(root, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalPositiveInt(root, "max_tokens");
        }
        if (maxTokens != null) {
            params.setMaxTokens(maxTokens);
            any = true;
        }
        JsonNode stop = root.get("stop");
        if (stop != null && !stop.isNull()) {
            if (stop.isTextual()) {
                params.addStop(stop.textValue());
            } else if (stop.isArray() && stop.size() <= 4) {
                for (JsonNode s : stop) {
                    if (!s.isTextual()) {
                        throw OpenAiError.invalidRequest("stop", "stop must be a string or up to 4 strings");
                    }
                    params.addStop(s.textValue());
                }
            } else {
                throw OpenAiError.invalidRequest("stop", "stop must be a string or up to 4 strings");
            }
            any = true;
        }
        return any ? params.build() : null;
    }

    private static String optionalText(JsonNode node, String field) {
        return optionalText(node, field, field);
    }

    private static String optionalText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw OpenAiError.invalidRequest(where, where + " must be a string");
        }
        return value.textValue();
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw OpenAiError.invalidRequest(field, field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static Double optionalNumber(JsonNode node, String field, double min, double max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
            throw OpenAiError.invalidRequest(field, field + " must be a number from " + min + " to " + max);
        }
        return value.doubleValue();
    }

    private static Integer optionalPositiveInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 1) {
            throw OpenAiError.invalidRequest(field, field + " must be a positive integer");
        }
        return value.intValue();
    }
}
