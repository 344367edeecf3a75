package dev.hearth.tts.engine;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs an engine binary as a child process on a worker thread and returns its standard output.
 * Cancelling the {@code Uni} kills the process at once; the live ones are visible for tests and metrics.
 */
@ApplicationScoped
public class ProcessRunner {

    private static final Logger LOG = Logger.getLogger(ProcessRunner.class);
    private final Set<ProcessHandle> running = ConcurrentHashMap.newKeySet();

    public Uni<byte[]> run(List<String> command, byte[] stdin) {
        return Uni.createFrom().<byte[]>emitter(emitter -> {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            } catch (IOException e) {
                emitter.fail(new EngineException(command.get(0) + " could not be started: " + e.getMessage(), e));
                return;
            }
            ProcessHandle handle = process.toHandle();
            running.add(handle);
            emitter.onTermination(() -> {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
                running.remove(handle);
            });
            // stderr is drained on its own thread so a chatty engine can never block on a full pipe.
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(process.getErrorStream(), err), "engine-stderr");
            errReader.setDaemon(true);
            errReader.start();
            try {
                try (var in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin);
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copy(process.getInputStream(), out);
                int exit = process.waitFor();
                errReader.join(1000);
                if (exit != 0) {
                    emitter.fail(new EngineException(command.get(0) + " exited with " + exit + ": "
                            + err.toString(StandardCharsets.UTF_8).strip()));
                } else {
                    emitter.complete(out.toByteArray());
                }
            } catch (IOException e) {
                emitter.fail(new EngineException(command.get(0) + " failed: " + e.getMessage(), e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.fail(new EngineException(command.get(0) + " was interrupted", e));
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The engine processes alive now. */
    public Set<ProcessHandle> running() {
        return Set.copyOf(running);
    }

    /** Runs a short command synchronously (startup probing); null when it cannot run. */
    public static String probe(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** True when {@code binary} is an executable path or found on PATH. */
    public static boolean installed(String binary) {
        if (binary.contains("/")) {
            return Files.isExecutable(Path.of(binary));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            LOG.debugf("engine stream closed: %s", e.getMessage());
        }
    }
}
