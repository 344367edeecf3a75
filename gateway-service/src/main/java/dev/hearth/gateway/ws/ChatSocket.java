package dev.hearth.gateway.ws;

import dev.hearth.gateway.client.RouterClient;
import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.devices.DeviceWatches;
import dev.hearth.gateway.security.ConnectionSecurity;
import dev.hearth.gateway.security.Principal;
import dev.hearth.gateway.security.RateLimiter;
import dev.hearth.gateway.stream.Caller;
import dev.hearth.gateway.stream.ChatStream;
import dev.hearth.gateway.stream.RemoteStreams;
import dev.hearth.gateway.stream.RouterEventRelay;
import dev.hearth.gateway.stream.StreamAccess;
import dev.hearth.gateway.stream.StreamRegistry;
import dev.hearth.gateway.stream.Subscriber;
import dev.hearth.gateway.voice.VoiceCalls;
import dev.hearth.proto.v1.ChatRequest;
import io.quarkus.websockets.next.CloseReason;
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
 * error event and the connection, and every other stream on it, goes on. Streams outlive the
 * connection that started them: a client that drops resumes with {@code subscribe} +
 * {@code after_seq}, here or on any other replica.
 */
@WebSocket(path = "/ws/chat")
public class ChatSocket {

    private static final Logger LOG = Logger.getLogger(ChatSocket.class);
    /** RFC 6455: a message too big to process. */
    static final int CLOSE_TOO_BIG = 1009;
    static final int MAX_WATCHED_DEVICES = 256;
    static final int MAX_DEVICE_NAME = 256;

    private final ClientMessageDecoder decoder;
    private final ServerMessages messages;
    private final Connections connections;
    private final StreamRegistry streams;
    private final RemoteStreams remote;
    private final RouterClient router;
    private final RouterEventRelay relay;
    private final GatewayConfig config;
    private final GracefulShutdown shutdown;
    private final ConnectionSecurity security;
    private final RateLimiter limits;
    private final DeviceWatches devices;
    private final VoiceCalls voice;

    public ChatSocket(ClientMessageDecoder decoder, ServerMessages messages, Connections connections,
            StreamRegistry streams, RemoteStreams remote, RouterClient router, RouterEventRelay relay,
            GatewayConfig config, GracefulShutdown shutdown, ConnectionSecurity security, RateLimiter limits,
            DeviceWatches devices, VoiceCalls voice) {
        this.decoder = decoder;
        this.messages = messages;
        this.connections = connections;
        this.streams = streams;
        this.remote = remote;
        this.router = router;
        this.relay = relay;
        this.config = config;
        this.shutdown = shutdown;
        this.security = security;
        this.limits = limits;
        this.devices = devices;
        this.voice = voice;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        if (shutdown.draining()) {
            return connection.close(new CloseReason(ClientOutbox.CLOSE_GOING_AWAY, "server shutting down"));
        }
        connections.open(connection).offer(messages.welcome(connection.id()));
        return Uni.createFrom().voidItem();
    }

    /**
     * Messages of one connection are handled one after another (websockets-next's serial inbound
     * mode waits for the returned Uni), so a {@code cancel} never overtakes the {@code chat} it follows.
     */
    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection connection) {
        ClientOutbox outbox = connections.outbox(connection);
        if (text.length() > config.maxFrameSize()) { // chars ≤ UTF-8 bytes: over in chars is over in bytes
            outbox.close();
            return connection.close(new CloseReason(CLOSE_TOO_BIG, "message over " + config.maxFrameSize() + " bytes"));
        }
        ClientMessage message;
        try {
            message = decoder.decode(text);
        } catch (ProtocolException e) {
            outbox.offer(messages.error(decoder.requestIdOf(text), e));
            return Uni.createFrom().voidItem();
        }
        Principal principal = security.principal(connection);
        Uni<Void> handled;
        try {
            handled = dispatch(message, principal, connection, outbox);
        } catch (RuntimeException e) {
            handled = Uni.createFrom().failure(e);
        }
        return handled.onFailure().recoverWithItem(failure -> {
            if (failure instanceof ProtocolException problem) {
                outbox.offer(messages.error(message.requestId(), problem));
            } else {
                LOG.errorf(failure, "%s %s on connection %s failed", message.action(), message.requestId(), connection.id());
                outbox.offer(messages.error(message.requestId(), ErrorCode.INTERNAL, "the message could not be handled"));
            }
            return null;
        });
    }

    /**
     * Audio of the connection's voice turn (raw PCM as announced by {@code voice.start}), handled
     * in order with the text messages. Audio frames are not messages for the rate limit: they are
     * bounded by the voice turn's own audio rate.
     */
    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer audio, WebSocketConnection connection) {
        ClientOutbox outbox = connections.outbox(connection);
        if (audio.length() > config.maxFrameSize()) {
            outbox.close();
            return connection.close(new CloseReason(CLOSE_TOO_BIG, "message over " + config.maxFrameSize() + " bytes"));
        }
        voice.audio(connection.id(), outbox, audio.getBytes());
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        // The streams go on (for other watchers, and for this client's resume); only its seats go.
        streams.unsubscribeEverywhere(connection.id());
        remote.unsubscribeEverywhere(connection.id());
        devices.connectionClosed(connection.id());
        connections.close(connection);
        // A voice turn cannot go on without its speaker: cancelled (the router keeps what was spoken).
        // After the outbox is closed, so a voice.start finishing meanwhile sees the connection gone.
        voice.connectionClosed(connection.id());
    }

    /** Every message counts against the key's messages per minute (in Redis, across replicas). */
    private Uni<Void> dispatch(ClientMessage message, Principal principal, WebSocketConnection connection, ClientOutbox outbox) {
        Caller caller = new Caller(principal.userId(), principal.admin());
        return switch (message.action()) {
            case "chat" -> chat(message, principal, caller, connection, outbox);
            case "subscribe" -> limits.checkMessage(principal).chain(() -> subscribe(message, caller, outbox));
            case "unsubscribe" -> limits.checkMessage(principal).invoke(() -> unsubscribe(message, connection, outbox));
            case "cancel" -> limits.checkMessage(principal).chain(() -> cancel(message, caller, connection));
            case "ping" -> limits.checkMessage(principal).invoke(() -> outbox.offer(messages.pong(message.requestId())));
            case "devices.watch" -> limits.checkMessage(principal).invoke(() -> watchDevices(message, outbox));
            case "voice.start" -> voiceStart(message, principal, caller, connection, outbox);
            case "voice.stop" -> limits.checkMessage(principal).invoke(() -> voice.stop(connection.id()));
            default -> limits.checkMessage(principal).invoke(() -> {
                throw new ProtocolException(ErrorCode.UNKNOWN_ACTION, "unknown action '" + message.action() + "'");
            });
        };
    }

    private Uni<Void> chat(ClientMessage message, Principal principal, Caller caller, WebSocketConnection connection,
            ClientOutbox outbox) {
        String text = message.requiredString("text");
        if (text.length() > config.maxTextLength()) {
            throw new ProtocolException(ErrorCode.MESSAGE_TOO_LARGE,
                    "payload.text is longer than " + config.maxTextLength() + " characters");
        }
        String conversationId = message.optionalString("conversation_id");
        String profile = message.optionalString("profile");
        boolean shared = message.optionalBoolean("share");
        if (shutdown.draining()) {
            throw new ProtocolException(ErrorCode.PROVIDER_UNAVAILABLE, "this gateway is shutting down; reconnect and try again");
        }
        String streamId = streams.newStreamId(message.optionalString("stream_id"));
        // One Redis round trip for both counts, before anything is started.
        return Uni.combine().all().unis(limits.checkMessage(principal), limits.acquireStream(principal, streamId))
                .usingConcurrencyOf(2).discardItems()
                .onFailure().invoke(failure -> limits.releaseStream(principal, streamId))
                .invoke(() -> {
                    try {
                        start(message, caller, connection, outbox, streamId, shared, conversationId, profile, text)
                                .whenEnded(() -> limits.releaseStream(principal, streamId));
                    } catch (RuntimeException e) {
                        limits.releaseStream(principal, streamId);
                        throw e;
                    }
                });
    }

    /** {@code voice.start}: a stream like a chat's (same limits and counting), backed by a Router.Voice call. */
    private Uni<Void> voiceStart(ClientMessage message, Principal principal, Caller caller, WebSocketConnection connection,
            ClientOutbox outbox) {
        VoiceStartRequest request = VoiceStartRequest.from(message);
        voice.checkNoneOpen(connection.id());
        if (shutdown.draining()) {
            throw new ProtocolException(ErrorCode.PROVIDER_UNAVAILABLE, "this gateway is shutting down; reconnect and try again");
        }
        String streamId = streams.newStreamId(request.streamId());
        return Uni.combine().all().unis(limits.checkMessage(principal), limits.acquireStream(principal, streamId))
                .usingConcurrencyOf(2).discardItems()
                .onFailure().invoke(failure -> limits.releaseStream(principal, streamId))
                .invoke(() -> {
                    try {
                        voice.start(caller, connection.id(), outbox, message.requestId(), streamId, request)
                                .whenEnded(() -> limits.releaseStream(principal, streamId));
                    } catch (RuntimeException e) {
                        limits.releaseStream(principal, streamId);
                        throw e;
                    }
                });
    }

    private ChatStream start(ClientMessage message, Caller caller, WebSocketConnection connection, ClientOutbox outbox,
            String streamId, boolean shared, String conversationId, String profile, String text) {
        ChatStream stream = streams.open(caller, connection.id(), message.requestId(), streamId, shared);
        stream.subscribe(new Subscriber(outbox, message.requestId(), -1), null);
        stream.processing();
        ChatRequest request = ChatRequest.newBuilder()
                .setRequestId(message.requestId())
                .setUserId(caller.userId())
                .setConversationId(conversationId == null ? "" : conversationId)
                .setProfile(profile == null ? "" : profile)
                .setText(text)
                .setStreamId(stream.id())
                .build();
        stream.attach(router.chat(request).subscribe().with(
                event -> relay.relay(event, stream),
                failure -> relay.failed(failure, stream),
                () -> relay.endedWithoutTerminal(stream)));
        return stream;
    }

    private Uni<Void> subscribe(ClientMessage message, Caller caller, ClientOutbox outbox) {
        String streamId = message.requiredString("stream_id");
        long afterSeq = message.optionalLong("after_seq", -1);
        if (afterSeq < -1) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload.after_seq must be -1 or more");
        }
        String epoch = message.optionalString("epoch");
        Subscriber subscriber = new Subscriber(outbox, message.requestId(), afterSeq);
        ChatStream local = streams.get(streamId);
        if (local != null) {
            StreamAccess.checkWatch(caller, streamId, local.ownerUserId(), local.shared());
            if (epoch != null && !epoch.equals(local.epoch())) {
                throw new ProtocolException(ErrorCode.STREAM_GAP, "stream " + streamId + " has epoch " + local.epoch()
                        + ", not " + epoch + ": its history was lost; reload the conversation");
            }
            local.subscribe(subscriber, messages.subscribed(message.requestId(), streamId, local.epoch(), afterSeq));
            return Uni.createFrom().voidItem();
        }
        return remote.subscribe(caller, streamId, epoch, subscriber);
    }

    /** {@code devices.watch}, optionally only for {@code devices} (names or IEEE addresses). */
    private void watchDevices(ClientMessage message, ClientOutbox outbox) {
        Set<String> only = new java.util.HashSet<>();
        message.optionalStringList("devices", MAX_WATCHED_DEVICES, MAX_DEVICE_NAME)
                .forEach(name -> only.add(name.strip().toLowerCase(java.util.Locale.ROOT)));
        devices.watch(outbox, message.requestId(), only);
    }

    private void unsubscribe(ClientMessage message, WebSocketConnection connection, ClientOutbox outbox) {
        String streamId = message.requiredString("stream_id");
        if (devices.end(connection.id(), streamId)) {
            outbox.offer(messages.unsubscribed(message.requestId(), streamId));
            return;
        }
        ChatStream local = streams.get(streamId);
        boolean left = local != null && local.unsubscribe(connection.id());
        if (!left && remote.isWatching(connection.id(), streamId)) {
            remote.unsubscribe(connection.id(), streamId);
            left = true;
        }
        if (!left) {
            throw new ProtocolException(ErrorCode.STREAM_NOT_FOUND, "this connection does not watch stream " + streamId);
        }
        outbox.offer(messages.unsubscribed(message.requestId(), streamId));
    }

    private Uni<Void> cancel(ClientMessage message, Caller caller, WebSocketConnection connection) {
        String streamId = message.requiredString("stream_id");
        if (devices.end(connection.id(), streamId)) {
            return Uni.createFrom().voidItem();
        }
        ChatStream local = streams.get(streamId);
        if (local != null) {
            StreamAccess.checkCancel(caller, streamId, local.ownerUserId());
            local.cancel();
            return Uni.createFrom().voidItem();
        }
        return remote.cancel(caller, streamId);
    }
}
