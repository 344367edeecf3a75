package dev.hearth.stt.engine;

import dev.hearth.wyoming.WyomingEvent;
import dev.hearth.wyoming.WyomingFrameParser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake Wyoming ASR server (as wyoming-faster-whisper behaves): a real Vert.x TCP server on a
 * random port reading the framing with the suite's parser; on {@code audio-stop} it answers the
 * streaming events and the final {@code transcript} "turn on the kitchen light". {@link #mode}
 * makes it fail.
 */
final class FakeWyomingAsrServer implements AutoCloseable {

    enum Mode { OK, ERROR, SILENT, CLOSE }

    static final String TEXT = "turn on the kitchen light";

    /** Every event received, in order; audio-chunk payloads go to {@link #audio}. */
    final List<WyomingEvent> events = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    volatile Mode mode = Mode.OK;
    private final Vertx vertx = Vertx.vertx();
    private final NetServer server;

    FakeWyomingAsrServer() throws Exception {
        server = vertx.createNetServer().connectHandler(socket -> socket.handler(new WyomingFrameParser(65536, 1 << 20,
                event -> {
                    events.add(event);
                    if (event.type().equals("audio-chunk") && event.payload() != null) {
                        synchronized (audio) {
                            audio.writeBytes(event.payload());
                        }
                    }
                    if (!event.type().equals("audio-stop")) {
                        return;
                    }
                    switch (mode) {
                        case ERROR -> socket.write(WyomingEvent.error("asr-failed", "model not loaded").encode());
                        case CLOSE -> socket.close();
                        case SILENT -> {
                            // never answers
                        }
                        case OK -> {
                            socket.write(WyomingEvent.of("transcript-start").encode());
                            socket.write(WyomingEvent.of("transcript-chunk", new JsonObject().put("text", "turn on"))
                                    .encode());
                            socket.write(WyomingEvent.of("transcript", new JsonObject().put("text", " " + TEXT)
                                    .put("language", "en")).encode());
                            socket.write(WyomingEvent.of("transcript-stop").encode());
                        }
                    }
                }, problem -> socket.close()))).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    byte[] audio() {
        synchronized (audio) {
            return audio.toByteArray();
        }
    }

    @Override
    public void close() {
        vertx.close();
    }
}
