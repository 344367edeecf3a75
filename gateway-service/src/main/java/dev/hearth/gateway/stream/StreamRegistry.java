package dev.hearth.gateway.stream;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.ws.ClientOutbox;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.gateway.ws.ServerMessages;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The streams running on this gateway, by id, with a limit per connection. */
@io.quarkus.runtime.Startup // so its gauge is on /q/metrics before the first stream
@ApplicationScoped
public class StreamRegistry {

    private static final Pattern CLIENT_STREAM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ChatStream> streams = new ConcurrentHashMap<>();
    private final GatewayConfig config;
    private final ServerMessages messages;

    public StreamRegistry(GatewayConfig config, ServerMessages messages, io.micrometer.core.instrument.MeterRegistry meters) {
        this.config = config;
        this.messages = messages;
        io.micrometer.core.instrument.Gauge.builder("hearth.gateway.streams.active", streams, Map::size)
                .description("Streams running on this gateway").register(meters);
    }

    /** Opens a stream for a connection; {@code requestedId} is the client's optional own id. */
    public ChatStream open(String connectionId, String requestId, String requestedId, ClientOutbox outbox) {
        if (requestedId != null && !CLIENT_STREAM_ID.matcher(requestedId).matches()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "payload.stream_id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        if (streamsOf(connectionId).size() >= config.maxStreamsPerConnection()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_STREAMS,
                    "a connection may run " + config.maxStreamsPerConnection() + " streams at once");
        }
        String id = requestedId != null ? requestedId : "s-" + UUID.randomUUID();
        String epoch = HexFormat.of().formatHex(randomBytes());
        ChatStream stream = new ChatStream(id, epoch, requestId, connectionId, outbox, messages, () -> streams.remove(id));
        if (streams.putIfAbsent(id, stream) != null) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "stream_id " + id + " is already in use");
        }
        return stream;
    }

    public ChatStream get(String id) {
        return streams.get(id);
    }

    public List<ChatStream> streamsOf(String connectionId) {
        return streams.values().stream().filter(s -> s.ownerConnectionId().equals(connectionId)).toList();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
