package dev.hearth.tts.engine;

import dev.hearth.tts.config.TtsSettings;
import dev.hearth.wyoming.WyomingEvent;
import dev.hearth.wyoming.WyomingFrameParser;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Wyoming TTS server as an engine (e.g. wyoming-piper): one connection per sentence,
 * {@code synthesize} out, {@code audio-start}, {@code audio-chunk}s, {@code audio-stop} back.
 */
@ApplicationScoped
public class WyomingClientEngine implements TtsEngine {

    private final TtsSettings.WyomingClient settings;
    private final Vertx vertx;
    private volatile NetClient client;

    WyomingClientEngine(TtsSettings settings, Vertx vertx) {
        this.settings = settings.wyoming();
        this.vertx = vertx;
    }

    @Override
    public String name() {
        return "wyoming";
    }

    @Override
    public boolean available() {
        return settings.address().filter(a -> a.contains(":")).isPresent();
    }

    @Override
    public List<Voice> voices() {
        return settings.voices().orElse(List.of()).stream()
                .map(v -> new Voice(v, List.of(), "Wyoming voice " + v)).toList();
    }

    @Override
    public String defaultVoice() {
        return settings.defaultVoice();
    }

    @Override
    public String attributionUrl() {
        return "tcp://" + settings.address().orElse("");
    }

    @Override
    public Uni<Pcm> synthesize(String text, String voice) {
        String address = settings.address().orElseThrow();
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        AtomicReference<NetSocket> open = new AtomicReference<>();
        return Uni.createFrom().<Pcm>emitter(emitter -> client().connect(port, host).onComplete(connected -> {
            if (connected.failed()) {
                emitter.fail(new EngineException("the Wyoming server at " + address + " cannot be reached: "
                        + connected.cause().getMessage(), Status.Code.UNAVAILABLE, connected.cause()));
                return;
            }
            NetSocket socket = connected.result();
            open.set(socket);
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            int[] rate = {0};
            boolean[] done = {false};
            WyomingFrameParser parser = new WyomingFrameParser(65536, 64 << 20, event -> {
                switch (event.type()) {
                    case "audio-start" -> rate[0] = event.data().getInteger("rate", 0);
                    case "audio-chunk" -> {
                        if (rate[0] == 0) {
                            rate[0] = event.data().getInteger("rate", 0);
                        }
                        if (event.payload() != null) {
                            audio.writeBytes(event.payload());
                        }
                    }
                    case "audio-stop" -> {
                        done[0] = true;
                        socket.close();
                        emitter.complete(new Pcm(audio.toByteArray(), rate[0] == 0 ? 22050 : rate[0]));
                    }
                    case "error" -> {
                        done[0] = true;
                        socket.close();
                        emitter.fail(new EngineException("the Wyoming server at " + address + " answered an error: "
                                + event.data().getString("text", "?"), Status.Code.INTERNAL, null));
                    }
                    default -> {
                        // info, synthesize-stopped and other events are not for us
                    }
                }
            }, problem -> {
                done[0] = true;
                socket.close();
                emitter.fail(new EngineException("the Wyoming server at " + address + " sent a bad frame: "
                        + problem.text(), Status.Code.UNAVAILABLE, null));
            });
            socket.handler(parser);
            socket.closeHandler(v -> {
                if (!done[0]) {
                    emitter.fail(new EngineException("the Wyoming server at " + address
                            + " closed the connection before audio-stop", Status.Code.UNAVAILABLE, null));
                }
            });
            JsonObject data = new JsonObject().put("text", text);
            if (voice != null && !voice.isBlank() && !"default".equals(voice)) {
                data.put("voice", new JsonObject().put("name", voice));
            }
            socket.write(WyomingEvent.of("synthesize", data).encode());
        })).onCancellation().invoke(() -> {
            NetSocket socket = open.get();
            if (socket != null) {
                socket.close();
            }
        });
    }

    private NetClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createNetClient(new NetClientOptions()
                            .setConnectTimeout((int) settings.connectTimeout().toMillis()));
                }
            }
        }
        return client;
    }
}
