package dev.hearth.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The postmaster of a persistent data directory, read from its {@code postmaster.pid}. A launcher
 * that was killed hard can leave one running; it would hold the directory and make the next start fail.
 */
final class StalePostmaster {

    private static final System.Logger LOG = System.getLogger(StalePostmaster.class.getName());
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    private StalePostmaster() {
    }

    static OptionalLong pid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Stops a postmaster left running on this directory by a process that died without stopping
     * it (fast shutdown: SIGINT, waiting up to 30 s). The directory's {@code epg-lock}, which zonky
     * holds while it runs a server, tells orphans from servers a live process still owns.
     */
    static void stopIfOrphaned(Path dataDirectory) {
        Path lockFile = dataDirectory.resolve(ZONKY_LOCK_FILE);
        if (!Files.exists(lockFile) || pid(dataDirectory).isEmpty()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock != null) {
                stopIfRunning(dataDirectory);
            }
        } catch (OverlappingFileLockException e) {
            // this JVM runs it: not an orphan
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot check " + lockFile + ": " + e.getMessage());
        }
    }

    private static void stopIfRunning(Path dataDirectory) {
        OptionalLong pid = pid(dataDirectory);
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    LOG.log(System.Logger.Level.WARNING, "Stopping a leftover PostgreSQL (pid " + p.pid()
                            + ") on " + dataDirectory);
                    try {
                        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
                        p.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }
}
