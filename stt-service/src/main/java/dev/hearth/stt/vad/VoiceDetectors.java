package dev.hearth.stt.vad;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hearth.stt.config.SttSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.logging.Logger;

/**
 * Makes a {@link VoiceDetector} per call: Silero VAD v5 when configured and its model loads (one
 * shared ONNX Runtime session), else the energy detector. Why Silero is not in use is kept as
 * {@link #note()} for readiness.
 */
@ApplicationScoped
public class VoiceDetectors {

    public static final String MODEL_RESOURCE = "vad/silero_vad_v5.onnx";
    private static final Logger LOG = Logger.getLogger(VoiceDetectors.class);

    private final SttSettings.Vad settings;
    private volatile OrtEnvironment env;
    private volatile OrtSession session;
    private volatile String note = "";

    public VoiceDetectors(SttSettings settings) {
        this.settings = settings.vad();
    }

    void start(@Observes StartupEvent event) {
        load();
    }

    /** Loads the Silero model if configured; safe to call again. */
    public synchronized void load() {
        if (session != null || !"silero".equals(settings.engine())) {
            if (!"silero".equals(settings.engine()) && !"energy".equals(settings.engine())) {
                note = "unknown hearth.stt.vad.engine '" + settings.engine() + "': using the energy detector";
                LOG.warn(note);
            }
            return;
        }
        try (InputStream model = Thread.currentThread().getContextClassLoader().getResourceAsStream(MODEL_RESOURCE)) {
            if (model == null) {
                note = "Silero VAD model " + MODEL_RESOURCE + " is not packaged (the build could not download it): using the energy detector";
                LOG.warn(note);
                return;
            }
            byte[] bytes = model.readAllBytes();
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One 32 ms frame is a tiny graph: threads would cost more than they save, and calls run in parallel anyway.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(bytes, options);
            env = environment;
            note = "";
        } catch (IOException | OrtException | UnsatisfiedLinkError e) {
            note = "Silero VAD could not be loaded (" + e.getMessage() + "): using the energy detector";
            LOG.warn(note);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        OrtSession s = session;
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.debug("closing the Silero session", e);
            }
        }
    }

    public VoiceDetector create() {
        OrtSession s = session;
        return s != null ? new SileroDetector(env, s) : energy();
    }

    public VoiceDetector energy() {
        return new EnergyDetector(settings.energyMarginDb(), settings.energyFloorDbfs());
    }

    /** The detector calls get: {@code silero} or {@code energy}. */
    public String engine() {
        return session != null ? "silero" : "energy";
    }

    /** Why the configured detector is not in use; empty when it is. */
    public String note() {
        return note;
    }
}
