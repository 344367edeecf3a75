package dev.hearth.llm.provider.gemini;

import java.util.HashMap;
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
 * Writes a {@link GenerateRequest} as a Gemini {@code GenerateContentRequest} body (a Jackson
 * tree: unset parameters are left out). System messages become {@code systemInstruction};
 * assistant turns are {@code model} turns with {@code functionCall} parts; tool results are
 * {@code user} turns with {@code functionResponse} parts; consecutive turns of one role are
 * merged, as Gemini wants user and model turns to alternate.
 *
 * <p>Provider options understood ({@code ProviderRef.options}):
 * <ul>
 * <li>{@code top_k}: {@code generationConfig.topK}.</li>
 * <li>{@code thinking_budget}: {@code generationConfig.thinkingConfig.thinkingBudget} (tokens;
 * {@code 0} turns thinking off on the models that allow it, {@code -1} lets the model decide).</li>
 * <li>{@code continue_mode} ({@code auto}): how {@code continue_final_message} is sent, see
 * {@link ContinueMode}.</li>
 * </ul>
 */
final class GeminiRequestBody {

    static final String TOP_K = "top_k";
    static final String THINKING_BUDGET = "thinking_budget";
    static final String CONTINUE_MODE = "continue_mode";

    /**
     * Gemini 3 rejects a replayed {@code functionCall} without the thought signature it came with,
     * and hearth.v1's {@code ToolCall} has no field to carry one back. Google documents this value
     * for calls whose signature is unknown (history from another model, or executed by the client).
     */
    static final String UNKNOWN_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

    /** How a partial answer is handed over to be continued ({@code continue_final_message}). */
    enum ContinueMode {
        /** {@link #PREFILL}; if the model refuses a trailing model turn (newer ones answer 400), {@link #USER_TURN}. */
        AUTO,
        /** The partial answer is the last, {@code model}, turn: Gemini continues it; the instruction goes in the system instruction. */
        PREFILL,
        /** The partial answer is a {@code model} turn followed by a {@code user} turn asking to continue it. */
        USER_TURN;

        static ContinueMode of(Map<String, String> options) {
            String value = options.getOrDefault(CONTINUE_MODE, "auto").strip().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "auto", "" -> AUTO;
                case "prefill" -> PREFILL;
                case "user_turn" -> USER_TURN;
                default -> throw ProviderErrors.invalidArgument("provider option continue_mode must be auto, prefill "
                        + "or user_turn, not '" + value + "'");
            };
        }
    }

    private GeminiRequestBody() {
    }

    /**
     * @param continueAsUserTurn  when the request continues its final message: ask in a user turn
     *                            instead of prefilling (ignored otherwise)
     * @param continueInstruction the words that ask the model to continue
     */
    static ObjectNode from(GenerateRequest request, ObjectMapper json, boolean continueAsUserTurn,
            String continueInstruction) {
        ObjectNode body = json.createObjectNode();
        ArrayNode system = json.createArrayNode();
        ArrayNode contents = body.putArray("contents");
        int last = request.getMessagesCount() - 1;
        boolean continuing = request.getContinueFinalMessage();
        if (continuing && (last < 0 || request.getMessages(last).getRole() != Role.ROLE_ASSISTANT)) {
            throw ProviderErrors.invalidArgument("continue_final_message needs the last message to be the "
                    + "assistant's partial answer");
        }
        Map<String, String> toolNamesById = new HashMap<>();
        for (int i = 0; i <= last; i++) {
            ChatMessage message = request.getMessages(i);
            switch (message.getRole()) {
                case ROLE_SYSTEM -> {
                    if (!message.getContent().isEmpty()) {
                        system.addObject().put("text", message.getContent());
                    }
                }
                case ROLE_USER -> {
                    if (!message.getContent().isEmpty()) {
                        turn(contents, "user", json).addObject().put("text", message.getContent());
                    }
                }
                case ROLE_ASSISTANT -> assistant(message, i, contents, toolNamesById, json);
                case ROLE_TOOL -> turn(contents, "user", json).add(functionResponse(message, i, toolNamesById, json));
                default -> throw ProviderErrors.invalidArgument("messages[" + i + "] has no role");
            }
        }
        if (continuing && !request.getMessages(last).getContent().isEmpty()) {
            if (continueAsUserTurn) {
                turn(contents, "user", json).addObject().put("text", continueInstruction);
            } else {
                system.addObject().put("text", continueInstruction);
            }
        }
        if (contents.isEmpty()) {
            throw ProviderErrors.invalidArgument("Gemini needs at least one user or assistant message with content");
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        if (request.getToolsCount() > 0) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (int i = 0; i < request.getToolsCount(); i++) {
                declarations.add(declaration(request.getTools(i), i, json));
            }
        }
        generationConfig(request.getParams(), request.getProvider().getOptionsMap(), body);
        return body;
    }

    private static void assistant(ChatMessage message, int index, ArrayNode contents, Map<String, String> toolNamesById,
            ObjectMapper json) {
        if (message.getContent().isEmpty() && message.getToolCallsCount() == 0) {
            return; // an empty part is refused; an empty turn says nothing
        }
        ArrayNode parts = turn(contents, "model", json);
        if (!message.getContent().isEmpty()) {
            parts.addObject().put("text", message.getContent());
        }
        for (int c = 0; c < message.getToolCallsCount(); c++) {
            ToolCall call = message.getToolCalls(c);
            if (call.getName().isBlank()) {
                throw ProviderErrors.invalidArgument("messages[" + index + "].tool_calls[" + c + "] has no name");
            }
            ObjectNode functionCall = json.createObjectNode();
            if (!call.getId().isEmpty()) {
                functionCall.put("id", call.getId());
                toolNamesById.put(call.getId(), call.getName());
            }
            functionCall.put("name", call.getName()).set("args", arguments(call.getArgumentsJson(), json));
            ObjectNode part = parts.addObject();
            part.set("functionCall", functionCall);
            part.put("thoughtSignature", UNKNOWN_THOUGHT_SIGNATURE);
        }
    }

    // args must be an object. A model (maybe another provider's) can have written arguments that
    // are not: keep them, wrapped, rather than refuse the whole conversation.
    private static JsonNode arguments(String argumentsJson, ObjectMapper json) {
        if (argumentsJson.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode parsed = parseOrNull(argumentsJson, json);
        if (parsed != null && parsed.isObject()) {
            return parsed;
        }
        ObjectNode wrapped = json.createObjectNode();
        return parsed == null ? wrapped.put("arguments", argumentsJson) : wrapped.set("arguments", parsed);
    }

    private static ObjectNode functionResponse(ChatMessage message, int index, Map<String, String> toolNamesById,
            ObjectMapper json) {
        String name = message.getName().isBlank() ? toolNamesById.get(message.getToolCallId()) : message.getName();
        if (name == null || name.isBlank()) {
            throw ProviderErrors.invalidArgument("messages[" + index + "] has role tool but names no tool: Gemini needs "
                    + "the function's name (set name, or a tool_call_id an earlier assistant message's tool_calls has)");
        }
        ObjectNode functionResponse = json.createObjectNode();
        if (!message.getToolCallId().isEmpty()) {
            functionResponse.put("id", message.getToolCallId());
        }
        functionResponse.put("name", name).set("response", response(message.getContent(), json));
        ObjectNode part = json.createObjectNode();
        part.set("functionResponse", functionResponse);
        return part;
    }

    // response must be an object: a JSON object result goes as it is, anything else as {"result": ...}.
    private static JsonNode response(String content, ObjectMapper json) {
        JsonNode parsed = content.isBlank() ? null : parseOrNull(content, json);
        if (parsed != null && parsed.isObject()) {
            return parsed;
        }
        ObjectNode wrapped = json.createObjectNode();
        return parsed == null ? wrapped.put("result", content) : wrapped.set("result", parsed);
    }

    private static ObjectNode declaration(ToolSpec spec, int index, ObjectMapper json) {
        GeminiToolSchema.checkName(spec.getName(), index);
        ObjectNode declaration = json.createObjectNode().put("name", spec.getName());
        if (!spec.getDescription().isEmpty()) {
            declaration.put("description", spec.getDescription());
        }
        JsonNode schema = GeminiToolSchema.parameters(spec, index, json);
        if (schema != null) {
            declaration.set("parametersJsonSchema", schema);
        }
        return declaration;
    }

    private static void generationConfig(GenerationParams params, Map<String, String> options, ObjectNode body) {
        ObjectNode config = body.objectNode();
        if (params.hasTemperature()) {
            config.put("temperature", params.getTemperature());
        }
        if (params.hasTopP()) {
            config.put("topP", params.getTopP());
        }
        if (params.hasMaxTokens()) {
            config.put("maxOutputTokens", params.getMaxTokens());
        }
        if (params.getStopCount() > 0) {
            ArrayNode stop = config.putArray("stopSequences");
            params.getStopList().forEach(stop::add);
        }
        Integer topK = intOption(options, TOP_K, 1);
        if (topK != null) {
            config.put("topK", topK);
        }
        Integer thinkingBudget = intOption(options, THINKING_BUDGET, -1);
        if (thinkingBudget != null) {
            config.putObject("thinkingConfig").put("thinkingBudget", thinkingBudget);
        }
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
    }

    private static Integer intOption(Map<String, String> options, String name, int min) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw ProviderErrors.invalidArgument("provider option " + name + " must be a whole number of at least "
                    + min + ", not '" + value + "'");
        }
    }

    /** The parts of the last turn if it has {@code role}, else of a new turn with that role. */
    private static ArrayNode turn(ArrayNode contents, String role, ObjectMapper json) {
        if (!contents.isEmpty()) {
            JsonNode lastTurn = contents.get(contents.size() - 1);
            if (role.equals(lastTurn.path("role").asText())) {
                return (ArrayNode) lastTurn.get("parts");
            }
        }
        ObjectNode turn = contents.addObject().put("role", role);
        return turn.putArray("parts");
    }

    private static JsonNode parseOrNull(String text, ObjectMapper json) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
