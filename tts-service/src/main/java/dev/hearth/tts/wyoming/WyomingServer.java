package dev.hearth.tts.wyoming;

import dev.hearth.tts.config.TtsSettings;
import dev.hearth.tts.service.SpeechSynthesizer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A Wyoming TTS server on its own TCP port (default 10200), so Home Assistant's Wyoming integration
 * can add Hearth by host and port. Each connection is a {@link WyomingConnection}.
 */
@ApplicationScoped
public class WyomingServer {

    private static final Logger LOG = Logger.getLogger(WyomingServer.class);
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
        if (!config.enabled()) {
            return;
        }
        NetServer created = vertx.createNetServer(new NetServerOptions().setHost(config.host()).setPort(config.port()))
                .connectHandler(socket -> new WyomingConnection(socket, synthesizer, settings, vertx).start());
        try {
            created.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // The gRPC contract is the service's job; a taken Wyoming port (a second replica on one
            // host) must not take it down.
            LOG.warnf("Wyoming TTS server not started: %s:%d: %s", config.host(), config.port(), e.getCause());
            created.close();
            return;
        }
        server = created;
        LOG.infof("Wyoming TTS server listening on %s:%d", config.host(), server.actualPort());
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
