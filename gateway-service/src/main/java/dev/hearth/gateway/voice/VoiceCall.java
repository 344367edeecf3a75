package dev.hearth.gateway.voice;

import dev.hearth.gateway.client.RouterVoiceCall;
import dev.hearth.gateway.stream.ChatStream;
import dev.hearth.gateway.stream.RouterEventRelay;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.VoiceTurn;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One voice turn opened on a connection: its stream, its router call, the budget its audio
 * frames draw from, and when each answer's first audio went out (for the latency ledger).
 */
public final class VoiceCall {

    private final String connectionId;
    private final String requestId;
    private final ChatStream stream;
    private final RouterEventRelay relay;
    private final VoiceMetrics metrics;
    private final double bytesPerNano;
    private final double capacity;
    private final Map<Integer, Long> firstAudioAt = new HashMap<>();
    private RouterVoiceCall router;
    private double tokens;
    private long refilledAt = System.nanoTime();

    VoiceCall(String connectionId, String requestId, ChatStream stream, RouterEventRelay relay, VoiceMetrics metrics,
            int bytesPerSecond, double maxRate, double burstSeconds) {
        this.connectionId = connectionId;
        this.requestId = requestId;
        this.stream = stream;
        this.relay = relay;
        this.metrics = metrics;
        this.bytesPerNano = bytesPerSecond * maxRate / TimeUnit.SECONDS.toNanos(1);
        this.capacity = Math.max(bytesPerSecond * burstSeconds, 1);
        this.tokens = capacity;
    }

    public String connectionId() {
        return connectionId;
    }

    public String requestId() {
        return requestId;
    }

    public ChatStream stream() {
        return stream;
    }

    synchronized void attach(RouterVoiceCall call) {
        this.router = call;
    }

    synchronized RouterVoiceCall router() {
        return router;
    }

    /** Whether audio is still taken: the turn runs and the client has not sent {@code voice.stop}. */
    boolean takesAudio() {
        RouterVoiceCall call = router();
        return call != null && !call.stopped() && !stream.isEnded();
    }

    /**
     * Takes {@code bytes} from the budget (a token bucket refilled at the allowed multiple of real
     * time); returns 0 when taken, else the milliseconds until they would be.
     */
    synchronized long take(int bytes) {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * bytesPerNano);
        refilledAt = now;
        if (bytes <= tokens) {
            tokens -= bytes;
            return 0;
        }
        if (bytes > capacity) {
            return Long.MAX_VALUE;
        }
        return Math.max(1, (long) Math.ceil((bytes - tokens) / bytesPerNano / TimeUnit.MILLISECONDS.toNanos(1)));
    }

    /** A router event: mapped onto the stream; audio and voice turns are timed here. */
    void onEvent(ChatEvent event) {
        switch (event.getEventCase()) {
            case AUDIO -> {
                relay.audio(event.getAudio(), stream);
                metrics.audioOut(event.getAudio().getData().size());
                long now = System.currentTimeMillis();
                synchronized (this) {
                    firstAudioAt.putIfAbsent(event.getAudio().getTurn(), now);
                }
            }
            case VOICE_TURN -> relay.voiceTurn(event.getVoiceTurn(), stream, firstAudioToClient(event.getVoiceTurn()));
            default -> relay.relay(event, stream);
        }
    }

    /**
     * Milliseconds from the end of the user's speech (the router's clock) to this gateway handing
     * the turn's first audio frame to the stream's watchers; 0 when no audio went out (or the clocks
     * disagree so much that the figure would be negative).
     */
    private long firstAudioToClient(VoiceTurn turn) {
        Long sentAt;
        synchronized (this) {
            sentAt = firstAudioAt.remove(turn.getTurn());
        }
        long utteranceEnd = turn.getLedger().getUtteranceEndEpochMs();
        if (sentAt == null || utteranceEnd <= 0 || sentAt < utteranceEnd) {
            return 0;
        }
        long millis = sentAt - utteranceEnd;
        metrics.firstAudio(millis);
        return millis;
    }
}
