package dev.hearth.gateway.ws;

import dev.hearth.gateway.client.RouterClient;
import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.stream.ChatStream;
import dev.hearth.gateway.stream.RouterEventRelay;
import dev.hearth.gateway.stream.StreamRegistry;
import dev.hearth.proto.v1.ChatRequest;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@code /ws/chat}: the hearth.v1 protocol. Every problem with one message is answered with an
 * error event and the connection, and every other stream on it, goes on.
 */
@WebSocket(path = "/ws/chat")
public class ChatSocket {

    private static final Logger LOG = Logger.getLogger(ChatSocket.class);
    private static final Set<String> NOT_YET_SUPPORTED =
            Set.of("subscribe", "unsubscribe", "voice.start", "voice.stop", "devices.watch");

    private final ClientMessageDecoder decoder;
    private final ServerMessages messages;
    private final Connections connections;
    private final StreamRegistry streams;
    private final RouterClient router;
    private final RouterEventRelay relay;
    private final GatewayConfig config;

    public ChatSocket(ClientMessageDecoder decoder, ServerMessages messages, Connections connections,
            StreamRegistry streams, RouterClient router, RouterEventRelay relay, GatewayConfig config) {
        this.decoder = decoder;
        this.messages = messages;
        this.connections = connections;
        this.streams = streams;
        this.router = router;
        this.relay = relay;
        this.config = config;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        connections.open(connection).offer(messages.welcome(connection.id()));
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection connection) {
        ClientOutbox outbox = connections.outbox(connection);
        ClientMessage message;
        try {
            message = decoder.decode(text);
            dispatch(message, connection, outbox);
        } catch (ProtocolException e) {
            String requestId = decoder.requestIdOf(text);
            outbox.offer(messages.error(requestId, e));
        } catch (RuntimeException e) {
            LOG.errorf(e, "message on connection %s failed", connection.id());
            outbox.offer(messages.error(decoder.requestIdOf(text), ErrorCode.INTERNAL, "the message could not be handled"));
        }
        return Uni.createFrom().voidItem();
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer audio, WebSocketConnection connection) {
        connections.outbox(connection).offer(messages.error(null, ErrorCode.INVALID_MESSAGE,
                "binary frames carry the audio of a voice turn; no voice turn is open on this connection"));
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        // The generation would otherwise go on until a send fails.
        streams.streamsOf(connection.id()).forEach(ChatStream::cancel);
        connections.close(connection);
    }

    private void dispatch(ClientMessage message, WebSocketConnection connection, ClientOutbox outbox) {
        switch (message.action()) {
            case "chat" -> chat(message, connection, outbox);
            case "cancel" -> cancel(message, connection);
            case "ping" -> outbox.offer(messages.pong(message.requestId()));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_ACTION, NOT_YET_SUPPORTED.contains(message.action())
                    ? "action '" + message.action() + "' is not supported by this gateway yet"
                    : "unknown action '" + message.action() + "'");
        }
    }

    private void chat(ClientMessage message, WebSocketConnection connection, ClientOutbox outbox) {
        String text = message.requiredString("text");
        if (text.length() > config.maxTextLength()) {
            throw new ProtocolException(ErrorCode.MESSAGE_TOO_LARGE,
                    "payload.text is longer than " + config.maxTextLength() + " characters");
        }
        String conversationId = message.optionalString("conversation_id");
        String profile = message.optionalString("profile");
        message.optionalBoolean("share"); // validated now; who may watch a shared stream comes with subscribe
        ChatStream stream = streams.open(connection.id(), message.requestId(), message.optionalString("stream_id"), outbox);
        stream.processing();
        ChatRequest request = ChatRequest.newBuilder()
                .setRequestId(message.requestId())
                .setUserId("anonymous")
                .setConversationId(conversationId == null ? "" : conversationId)
                .setProfile(profile == null ? "" : profile)
                .setText(text)
                .setStreamId(stream.id())
                .build();
        stream.attach(router.chat(request).subscribe().with(
                event -> relay.relay(event, stream),
                failure -> relay.failed(failure, stream),
                () -> relay.endedWithoutTerminal(stream)));
    }

    private void cancel(ClientMessage message, WebSocketConnection connection) {
        String streamId = message.requiredString("stream_id");
        ChatStream stream = streams.get(streamId);
        if (stream == null) {
            throw new ProtocolException(ErrorCode.STREAM_NOT_FOUND, "no running stream " + streamId);
        }
        if (!stream.ownerConnectionId().equals(connection.id())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "stream " + streamId + " belongs to another client");
        }
        stream.cancel();
    }
}
