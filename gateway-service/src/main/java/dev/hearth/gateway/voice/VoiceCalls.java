package dev.hearth.gateway.voice;

import dev.hearth.gateway.client.RouterClient;
import dev.hearth.gateway.client.RouterVoiceCall;
import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.stream.Caller;
import dev.hearth.gateway.stream.ChatStream;
import dev.hearth.gateway.stream.RouterEventRelay;
import dev.hearth.gateway.stream.StreamRegistry;
import dev.hearth.gateway.stream.Subscriber;
import dev.hearth.gateway.ws.ClientOutbox;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.gateway.ws.ServerMessages;
import dev.hearth.gateway.ws.VoiceStartRequest;
import dev.hearth.proto.v1.VoiceStart;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The voice turns open on this replica, at most one per connection: opens them as streams backed
 * by a {@code Router.Voice} call, forwards the connection's binary frames to it within a rate
 * bound, and cancels it when the connection goes. Refused frames get one error per connection per
 * second at most, however many frames a client sends meanwhile.
 */
@ApplicationScoped
public class VoiceCalls {

    private static final Logger LOG = Logger.getLogger(VoiceCalls.class);
    private static final long REFUSAL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<String, VoiceCall> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Long> lastRefusal = new ConcurrentHashMap<>();
    private final StreamRegistry streams;
    private final RouterClient router;
    private final RouterEventRelay relay;
    private final ServerMessages messages;
    private final GatewayConfig config;
    private final VoiceMetrics metrics;

    public VoiceCalls(StreamRegistry streams, RouterClient router, RouterEventRelay relay, ServerMessages messages,
            GatewayConfig config, VoiceMetrics metrics, MeterRegistry meters) {
        this.streams = streams;
        this.router = router;
        this.relay = relay;
        this.messages = messages;
        this.config = config;
        this.metrics = metrics;
        Gauge.builder("hearth.gateway.voice.streams.active", byConnection, Map::size)
                .description("Voice turns open on this gateway").register(meters);
    }

    /** Refuses a second voice turn on a connection that has one open. */
    public void checkNoneOpen(String connectionId) {
        VoiceCall open = byConnection.get(connectionId);
        if (open != null && !open.stream().isEnded()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "a voice turn is already open on this connection (stream "
                    + open.stream().id() + "); it ends after its answer, or cancel it first");
        }
    }

    /**
     * Opens the voice turn: a stream like a chat's ({@code processing} first), then the router
     * call with {@code request}'s settings.
     */
    public ChatStream start(Caller caller, String connectionId, ClientOutbox outbox, String requestId, String streamId,
            VoiceStartRequest request) {
        checkNoneOpen(connectionId);
        ChatStream stream = streams.open(caller, connectionId, requestId, streamId, request.shared());
        VoiceCall call = new VoiceCall(connectionId, requestId, stream, relay, metrics, request.bytesPerSecond(),
                config.voice().maxAudioRate(), config.voice().audioBurst().toMillis() / 1000.0);
        // A turn that has just ended may still be on the map (it leaves once its end actions ran).
        if (byConnection.compute(connectionId, (id, old) -> old == null || old.stream().isEnded() ? call : old) != call) {
            stream.end("cancelled");
            checkNoneOpen(connectionId);
        }
        stream.whenEnded(() -> byConnection.remove(connectionId, call));
        if (outbox.isClosed()) {
            // The connection closed while this voice.start was being checked: no speaker, no turn.
            byConnection.remove(connectionId, call);
            stream.cancel();
            return stream;
        }
        stream.subscribe(new Subscriber(outbox, requestId, -1), null);
        stream.processing();
        metrics.opened();
        VoiceStart start = VoiceStart.newBuilder()
                .setRequestId(requestId)
                .setUserId(caller.userId())
                .setConversationId(orEmpty(request.conversationId()))
                .setProfile(orEmpty(request.profile()))
                .setSampleRate(request.sampleRate())
                .setFormat(request.format())
                .setLanguage(orEmpty(request.language()))
                .setStreamId(stream.id())
                .setContinuous(request.continuous())
                .setSttEngine(orEmpty(request.sttEngine()))
                .setTtsEngine(orEmpty(request.ttsEngine()))
                .setTtsVoice(orEmpty(request.ttsVoice()))
                .setOutputSampleRate(request.outputSampleRate())
                .build();
        try {
            RouterVoiceCall upstream = router.voice(start, call::onEvent, failure -> relay.failed(failure, stream),
                    () -> relay.endedWithoutTerminal(stream));
            call.attach(upstream);
            stream.attach(upstream);
        } catch (RuntimeException e) {
            LOG.errorf(e, "voice turn %s: the router call could not be opened", stream.id());
            stream.abort(ErrorCode.INTERNAL, "the voice turn could not be started");
        }
        return stream;
    }

    /** {@code voice.stop}: the end of the user's audio; the stream ends after the answer. */
    public void stop(String connectionId) {
        VoiceCall call = byConnection.get(connectionId);
        RouterVoiceCall upstream = call == null ? null : call.router();
        if (upstream == null || !upstream.stop()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, call == null
                    ? "no voice turn is open on this connection"
                    : "voice.stop was already sent for the voice turn on this connection (stream " + call.stream().id() + ")");
        }
    }

    /** A binary frame from the client: audio of the open voice turn, or refused. */
    public void audio(String connectionId, ClientOutbox outbox, byte[] audio) {
        VoiceCall call = byConnection.get(connectionId);
        if (call == null || !call.takesAudio()) {
            refuse(connectionId, outbox, "no_turn", ErrorCode.INVALID_MESSAGE, call == null ? null : call.stream().id(), 0,
                    call == null ? "binary frames carry the audio of a voice turn; no voice turn is open on this connection"
                            + " (send voice.start first)"
                            : "the voice turn on this connection takes no more audio (voice.stop was sent); frame dropped");
            return;
        }
        if (audio.length > config.maxMessageSize()) {
            refuse(connectionId, outbox, "too_large", ErrorCode.MESSAGE_TOO_LARGE, call.stream().id(), 0,
                    "an audio frame of " + audio.length + " bytes is over " + config.maxMessageSize() + "; it was not forwarded");
            return;
        }
        long retryAfterMs = call.take(audio.length);
        if (retryAfterMs > 0) {
            refuse(connectionId, outbox, "rate_limited", ErrorCode.RATE_LIMITED, call.stream().id(),
                    retryAfterMs == Long.MAX_VALUE ? 0 : retryAfterMs,
                    "audio is arriving faster than " + config.voice().maxAudioRate()
                            + " times real time for the announced sample rate; frames beyond it are not forwarded");
            return;
        }
        if (call.router().audio(audio)) {
            call.stream().touch();
            metrics.audioIn(audio.length);
        }
    }

    /** The connection went: its voice turn is cancelled (the router keeps what was spoken). */
    public void connectionClosed(String connectionId) {
        lastRefusal.remove(connectionId);
        VoiceCall call = byConnection.remove(connectionId);
        if (call != null) {
            call.stream().cancel();
        }
    }

    /**
     * A refused frame: {@code request_id} null (a frame answers no message) and no {@code seq}, so
     * it cannot be taken for the stream's terminal event; {@code error.stream_id} names the turn.
     */
    private void refuse(String connectionId, ClientOutbox outbox, String reason, ErrorCode code, String streamId,
            long retryAfterMs, String text) {
        metrics.refused(reason);
        long now = System.nanoTime();
        Long last = lastRefusal.get(connectionId);
        if (last != null && now - last < REFUSAL_INTERVAL_NANOS) {
            return; // one error per burst: the client has been told
        }
        lastRefusal.put(connectionId, now);
        outbox.offer(messages.audioRefused(null, code, text, streamId, retryAfterMs));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
