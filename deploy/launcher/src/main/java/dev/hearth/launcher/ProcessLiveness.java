package dev.hearth.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * "Is it still running?" where a zombie counts as gone. A service's children are orphaned when it
 * exits; until init reaps them (seconds in some containers) {@link ProcessHandle#isAlive()} still
 * says true although they run no code and hold nothing.
 */
public final class ProcessLiveness {

    private static final long POLL_MILLIS = 50;

    private ProcessLiveness() {
    }

    public static boolean isRunning(ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    /** Waits until the process is gone or a zombie; false if it still runs at the deadline. */
    public static boolean awaitGone(ProcessHandle handle, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (isRunning(handle)) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return false;
            }
            try {
                handle.onExit().get(Math.min(left, POLL_MILLIS), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still there (or cannot be waited on): look again, zombies never complete onExit
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(handle);
            }
        }
        return true;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // "pid (command) S ...": the state follows the last ')' (the command may contain one)
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (macOS) or already gone: isAlive() decides
        }
    }
}
