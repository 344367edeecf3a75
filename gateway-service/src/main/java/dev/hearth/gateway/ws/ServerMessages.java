package dev.hearth.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Builds the server → client messages of PROTOCOL.md. */
@ApplicationScoped
public class ServerMessages {

    public static final String PROTOCOL = "hearth.v1";

    private final ObjectMapper json;
    private final GatewayConfig config;

    public ServerMessages(ObjectMapper json, GatewayConfig config) {
        this.json = json;
        this.config = config;
    }

    public ObjectMapper mapper() {
        return json;
    }

    public String welcome(String connectionId) {
        ObjectNode message = json.createObjectNode().put("request_id", "welcome").put("status", "complete");
        ObjectNode data = message.putObject("chunk").put("type", "welcome").putObject("data");
        data.put("connection_id", connectionId).put("protocol", PROTOCOL);
        data.putObject("limits")
                .put("max_message_size", config.maxMessageSize())
                .put("max_text_length", config.maxTextLength())
                .put("max_streams_per_connection", config.maxStreamsPerConnection());
        return encode(message);
    }

    public String pong(String requestId) {
        return encode(json.createObjectNode().put("request_id", requestId).put("status", "pong"));
    }

    /** An error about one message (not part of a stream). */
    public String error(String requestId, ProtocolException problem) {
        return error(requestId, problem.code(), problem.getMessage(), problem.retryAfterMs());
    }

    public String error(String requestId, ErrorCode code, String text) {
        return error(requestId, code, text, 0);
    }

    public String error(String requestId, ErrorCode code, String text, long retryAfterMs) {
        ObjectNode message = json.createObjectNode();
        errorOf(message, requestId, code, text, retryAfterMs);
        return encode(message);
    }

    /** Fills {@code message} as an error answering {@code requestId} (null: a frame, no request); returns its {@code error}. */
    private static ObjectNode errorOf(ObjectNode message, String requestId, ErrorCode code, String text, long retryAfterMs) {
        if (requestId == null) {
            message.putNull("request_id");
        } else {
            message.put("request_id", requestId);
        }
        message.put("status", "error");
        ObjectNode error = message.putObject("error").put("code", code.wire()).put("message", text);
        if (retryAfterMs > 0) {
            error.put("retry_after_ms", retryAfterMs);
        }
        return error;
    }

    /** Acknowledges a subscription: events of the stream follow (replayed ones first). */
    public String subscribed(String requestId, String streamId, String epoch, long afterSeq) {
        ObjectNode message = json.createObjectNode().put("request_id", requestId).put("status", "complete");
        message.putObject("chunk").put("type", "subscribed").putObject("data")
                .put("stream_id", streamId).put("epoch", epoch).put("after_seq", afterSeq);
        return encode(message);
    }

    public String unsubscribed(String requestId, String streamId) {
        ObjectNode message = json.createObjectNode().put("request_id", requestId).put("status", "complete");
        message.putObject("chunk").put("type", "unsubscribed").putObject("data").put("stream_id", streamId);
        return encode(message);
    }

    /**
     * Tells a client it was taken off a stream (too slow, or its stream history could not go on):
     * not a stream event (no seq), so the stream itself is not over for anyone.
     */
    public String droppedFromStream(String requestId, ErrorCode code, String text, String streamId, long lastSeq) {
        ObjectNode message = json.createObjectNode();
        message.put("request_id", requestId).put("status", "error");
        message.putObject("error").put("code", code.wire()).put("message", text)
                .put("stream_id", streamId).put("last_seq", lastSeq);
        return encode(message);
    }

    /**
     * Refuses audio frames of a voice turn (not a stream event: the turn goes on); names the turn's
     * stream when one is open.
     */
    public String audioRefused(String requestId, ErrorCode code, String text, String streamId, long retryAfterMs) {
        ObjectNode message = json.createObjectNode();
        ObjectNode error = errorOf(message, requestId, code, text, retryAfterMs);
        if (streamId != null) {
            error.put("stream_id", streamId);
        }
        return encode(message);
    }

    public String encode(ObjectNode message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }
}
