package dev.hearth.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** Turns a text frame into a {@link ClientMessage}, or a {@link ProtocolException} saying why not. */
@ApplicationScoped
public class ClientMessageDecoder {

    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final ObjectMapper json;
    private final int maxMessageSize;

    @jakarta.inject.Inject
    public ClientMessageDecoder(ObjectMapper json, GatewayConfig config) {
        this(json, config.maxMessageSize());
    }

    ClientMessageDecoder(ObjectMapper json, int maxMessageSize) {
        this.json = json;
        this.maxMessageSize = maxMessageSize;
    }

    public ClientMessage decode(String text) {
        // Cheap bound first: chars ≤ bytes ≤ 3 × chars for UTF-16 text.
        if (text.length() > maxMessageSize
                || (text.length() * 3L > maxMessageSize
                        && text.getBytes(StandardCharsets.UTF_8).length > maxMessageSize)) {
            throw new ProtocolException(ErrorCode.MESSAGE_TOO_LARGE,
                    "message exceeds " + maxMessageSize + " bytes");
        }
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "message is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "message must be a JSON object");
        }
        String action = textField(root, "action");
        String requestId = textField(root, "request_id");
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "request_id is longer than " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            payload = json.createObjectNode();
        } else if (!payload.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload must be a JSON object");
        }
        return new ClientMessage(action, requestId, (ObjectNode) payload);
    }

    /** The request id of a message that failed to decode, when one can be found, for the error reply. */
    public String requestIdOf(String text) {
        try {
            JsonNode root = json.readTree(text);
            JsonNode id = root == null ? null : root.get("request_id");
            return id != null && id.isTextual() && id.textValue().length() <= MAX_REQUEST_ID_LENGTH ? id.textValue() : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static String textField(JsonNode root, String name) {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, name + " is required");
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, name + " must be a non-empty string");
        }
        return value.textValue();
    }
}
