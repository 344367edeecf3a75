package dev.hearth.gateway.stream;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.redis.GatewayKeys;
import dev.hearth.gateway.redis.RedisPubSub;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.gateway.ws.ServerMessages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The streams running on this gateway replica (the StreamingManager): opens them within the
 * configured limits, finds, lists and counts them, ends the ones that fell silent, takes cancel
 * requests from other replicas, and ends them all at shutdown.
 */
@io.quarkus.runtime.Startup // so its gauge is on /q/metrics before the first stream
@ApplicationScoped
public class StreamRegistry {

    private static final Logger LOG = Logger.getLogger(StreamRegistry.class);
    private static final Pattern CLIENT_STREAM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ChatStream> streams = new ConcurrentHashMap<>();
    private final GatewayConfig config;
    private final ServerMessages messages;
    private final Delivery delivery;
    private final StreamSink sink;
    private final RedisPubSub pubsub;
    private final GatewayKeys keys;
    private final Vertx vertx;
    private long sweeper = -1;

    public StreamRegistry(GatewayConfig config, ServerMessages messages, Delivery delivery,
            dev.hearth.gateway.redis.StreamHistory history, RedisPubSub pubsub, GatewayKeys keys, Vertx vertx,
            MeterRegistry meters) {
        this.config = config;
        this.messages = messages;
        this.delivery = delivery;
        this.sink = history;
        this.pubsub = pubsub;
        this.keys = keys;
        this.vertx = vertx;
        Gauge.builder("hearth.gateway.streams.active", streams, Map::size)
                .description("Streams running on this gateway").register(meters);
        Gauge.builder("hearth.gateway.stream.clients", this, StreamRegistry::clientCount)
                .description("Clients watching streams that run on this gateway").register(meters);
    }

    void start(@Observes StartupEvent event) {
        pubsub.subscribe(keys.streamControlChannel(), this::onControl).subscribe().with(ok -> { },
                failure -> LOG.warnf("not yet listening for cancels from other replicas (%s); retrying", failure.getMessage()));
        long period = Math.max(100, Math.min(1000, config.streams().inactivityTimeout().toMillis() / 4));
        sweeper = vertx.setPeriodic(period, id -> endInactive());
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    /**
     * Opens a stream for a chat: {@code requestedId} is the client's optional own id. Fails with
     * {@code too_many_streams} past the replica's or the connection's limit.
     */
    public ChatStream open(Caller caller, String connectionId, String requestId, String streamId, boolean shared) {
        if (streams.size() >= config.streams().maxConcurrent()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_STREAMS,
                    "this gateway runs " + config.streams().maxConcurrent() + " streams at once, the most it takes");
        }
        if (startedBy(connectionId).size() >= config.maxStreamsPerConnection()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_STREAMS,
                    "a connection may run " + config.maxStreamsPerConnection() + " streams at once");
        }
        String id = streamId;
        ChatStream stream = new ChatStream(id, newEpoch(), requestId, caller.userId(), connectionId, shared,
                messages, delivery, sink, this::ended, config.streams().historySize(), config.streams().maxClientsPerStream(),
                config.voice().historyAudioBytes());
        if (streams.putIfAbsent(id, stream) != null) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "stream_id " + id + " is already in use");
        }
        sink.opened(stream);
        return stream;
    }

    /** The id of a new stream: the client's own ({@code requested}, checked) or a fresh one. */
    public String newStreamId(String requested) {
        if (requested == null) {
            return "s-" + UUID.randomUUID();
        }
        if (!CLIENT_STREAM_ID.matcher(requested).matches()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "payload.stream_id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        if (streams.containsKey(requested)) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "stream_id " + requested + " is already in use");
        }
        return requested;
    }

    public ChatStream get(String id) {
        return streams.get(id);
    }

    /** Every stream running here. */
    public Collection<ChatStream> list() {
        return List.copyOf(streams.values());
    }

    public int count() {
        return streams.size();
    }

    /** Clients watching the streams that run here. */
    public int clientCount() {
        int clients = 0;
        for (ChatStream stream : streams.values()) {
            clients += stream.clientCount();
        }
        return clients;
    }

    /** Streams started by a connection and still running. */
    public List<ChatStream> startedBy(String connectionId) {
        return streams.values().stream().filter(s -> s.originConnectionId().equals(connectionId)).toList();
    }

    /** Takes a connection off every stream it watches here. */
    public void unsubscribeEverywhere(String connectionId) {
        for (ChatStream stream : streams.values()) {
            stream.unsubscribe(connectionId);
        }
    }

    /**
     * Waits up to {@code grace} for running streams to finish, then ends the rest with
     * {@code complete}/{@code incomplete}. Blocks: for the shutdown thread only.
     */
    public int drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!streams.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int ended = 0;
        for (ChatStream stream : streams.values()) {
            stream.end("incomplete");
            ended++;
        }
        return ended;
    }

    private void ended(ChatStream stream) {
        streams.remove(stream.id(), stream);
    }

    private void endInactive() {
        long limit = TimeUnit.MILLISECONDS.toNanos(config.streams().inactivityTimeout().toMillis());
        for (ChatStream stream : streams.values()) {
            if (stream.nanosSinceLastEvent() > limit) {
                LOG.infof("stream %s: no event for %s; ended", stream.id(), config.streams().inactivityTimeout());
                stream.abort(ErrorCode.TIMEOUT, "no event for " + config.streams().inactivityTimeout().toSeconds()
                        + " s; the stream was ended");
            }
        }
    }

    private void onControl(String message) {
        String streamId = StreamControl.cancelled(message);
        if (streamId == null) {
            return;
        }
        ChatStream stream = streams.get(streamId);
        if (stream != null) {
            stream.cancel();
        }
    }

    private static String newEpoch() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
