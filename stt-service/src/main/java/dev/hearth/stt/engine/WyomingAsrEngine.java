package dev.hearth.stt.engine;

import dev.hearth.wyoming.WyomingEvent;
import dev.hearth.wyoming.WyomingFrameParser;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Wyoming ASR server as an engine (e.g. wyoming-faster-whisper, port 10300), spoken to as Home
 * Assistant does: one connection per utterance, {@code transcribe} {language}, {@code audio-start}
 * {16 kHz, 2 bytes, mono}, {@code audio-chunk}s, {@code audio-stop}, then wait for {@code transcript}.
 * Streaming servers' {@code transcript-start/chunk/stop} are read past; {@code error} fails the call.
 */
@ApplicationScoped
public class WyomingAsrEngine implements SttEngine {

    /** Samples per audio-chunk, as Home Assistant and the Wyoming satellites send them. */
    private static final int CHUNK_SAMPLES = 1024;

    /** {@code hearth.stt.wyoming.*}: the server; the engine is off while {@code host} is unset. */
    @ConfigMapping(prefix = "hearth.stt.wyoming")
    public interface Settings {
        Optional<String> host();

        @WithDefault("10300")
        int port();

        /** The server's model to ask for ({@code transcribe.name}); its default when unset. */
        Optional<String> model();

        /** Longest from connecting to the transcript. */
        @WithDefault("30s")
        Duration timeout();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("1048576")
        int maxFrameBytes();
    }

    private final Settings settings;
    private final NetClient client; // connects per utterance

    WyomingAsrEngine(Settings settings, Vertx vertx) {
        this.settings = settings;
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis()));
    }

    @Override
    public String name() {
        return "wyoming";
    }

    @Override
    public boolean available() {
        return settings.host().filter(h -> !h.isBlank()).isPresent();
    }

    @Override
    public Uni<EngineTranscript> transcribe(Utterance utterance) {
        if (!available()) {
            return Uni.createFrom().failure(new SttEngineException("engine_unavailable",
                    "the wyoming engine has no host configured (hearth.stt.wyoming.host)"));
        }
        String address = settings.host().orElseThrow() + ":" + settings.port();
        AtomicReference<NetSocket> open = new AtomicReference<>();
        return Uni.createFrom().<EngineTranscript>emitter(emitter -> client.connect(settings.port(),
                settings.host().orElseThrow()).onComplete(connected -> {
                    if (connected.failed()) {
                        emitter.fail(new SttEngineException("engine_unavailable", "the Wyoming server at " + address
                                + " cannot be reached: " + connected.cause().getMessage(), connected.cause()));
                        return;
                    }
                    NetSocket socket = connected.result();
                    open.set(socket);
                    converse(socket, address, utterance, emitter);
                }))
                .ifNoItem().after(settings.timeout()).failWith(() -> new SttEngineException("engine_unavailable",
                        "the Wyoming server at " + address + " gave no transcript within " + settings.timeout()))
                .onTermination().invoke(() -> {
                    NetSocket socket = open.get();
                    if (socket != null) {
                        socket.close();
                    }
                });
    }

    private void converse(NetSocket socket, String address, Utterance utterance,
            UniEmitter<? super EngineTranscript> emitter) {
        AtomicBoolean done = new AtomicBoolean();
        WyomingFrameParser parser = new WyomingFrameParser(65536, settings.maxFrameBytes(), event -> {
            switch (event.type()) {
                case "transcript" -> {
                    if (done.compareAndSet(false, true)) {
                        String language = event.data().getString("language", "");
                        emitter.complete(new EngineTranscript(event.data().getString("text", "").strip(), List.of(),
                                0f, false, language.isEmpty() ? nullToEmpty(utterance.language()) : language));
                    }
                }
                case "error" -> {
                    if (done.compareAndSet(false, true)) {
                        emitter.fail(new SttEngineException("engine_error", "the Wyoming server at " + address
                                + " answered an error: " + event.data().getString("text", "?")));
                    }
                }
                default -> {
                    // transcript-start/chunk/stop, info and the like: the final transcript is what counts
                }
            }
        }, problem -> {
            if (done.compareAndSet(false, true)) {
                emitter.fail(new SttEngineException("engine_error", "the Wyoming server at " + address
                        + " sent a bad frame: " + problem.text()));
            }
        });
        socket.handler(parser);
        socket.closeHandler(v -> {
            if (done.compareAndSet(false, true)) {
                emitter.fail(new SttEngineException("engine_unavailable", "the Wyoming server at " + address
                        + " closed the connection before the transcript"));
            }
        });
        JsonObject transcribe = new JsonObject();
        String language = nullToEmpty(utterance.language());
        if (!language.isEmpty()) {
            transcribe.put("language", language);
        }
        settings.model().filter(m -> !m.isBlank()).ifPresent(model -> transcribe.put("name", model));
        JsonObject format = new JsonObject().put("rate", Utterance.SAMPLE_RATE).put("width", 2).put("channels", 1);
        Buffer out = WyomingEvent.of("transcribe", transcribe).encode()
                .appendBuffer(WyomingEvent.of("audio-start", format.copy().put("timestamp", 0)).encode());
        short[] samples = utterance.samples();
        for (int at = 0; at < samples.length; at += CHUNK_SAMPLES) {
            int count = Math.min(CHUNK_SAMPLES, samples.length - at);
            ByteBuffer pcm = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
            pcm.asShortBuffer().put(samples, at, count);
            out.appendBuffer(new WyomingEvent("audio-chunk", format.copy().put("timestamp", at * 1000L
                    / Utterance.SAMPLE_RATE), pcm.array()).encode());
        }
        out.appendBuffer(WyomingEvent.of("audio-stop", new JsonObject().put("timestamp",
                samples.length * 1000L / Utterance.SAMPLE_RATE)).encode());
        socket.write(out);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
