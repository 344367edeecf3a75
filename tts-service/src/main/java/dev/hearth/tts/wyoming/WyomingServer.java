package dev.hearth.tts.wyoming;

import dev.hearth.tts.config.TtsSettings;
import dev.hearth.tts.service.SpeechSynthesizer;
import dev.hearth.wyoming.WyomingListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A Wyoming TTS server on its own TCP port (default 10200), so Home Assistant's Wyoming integration
 * can add Hearth by host and port. Each connection is a {@link WyomingConnection}.
 */
@ApplicationScoped
public class WyomingServer {

    private final TtsSettings settings;
    private final SpeechSynthesizer synthesizer;
    private final Vertx vertx;
    private NetServer server;

    WyomingServer(TtsSettings settings, SpeechSynthesizer synthesizer, Vertx vertx) {
        this.settings = settings;
        this.synthesizer = synthesizer;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) throws Exception {
        TtsSettings.WyomingServer config = settings.wyomingServer();
        server = WyomingListener.listen(vertx, config, config.port(), "TTS",
                socket -> new WyomingConnection(socket, synthesizer, settings, vertx).start());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    /** The port listened on (useful when configured as 0); -1 when the server is off. */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }
}
