package dev.hearth.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Stops the suite's processes if this JVM dies without running its shutdown hooks (SIGKILL, OOM
 * kill). A small shell process reads a pipe from us: a JVM that dies for any reason closes the
 * pipe, the read returns end-of-file, and the shell terminates the services (and their
 * children), then the embedded servers. A clean close first writes "disarm".
 *
 * <p>Pids can in principle be reused by then; the window is the time between a service dying on
 * its own and the launcher noticing, which the launcher keeps short by stopping everything.
 */
final class Watchdog implements AutoCloseable {

    private static final Path SHELL = Path.of("/bin/sh");
    private static final String SCRIPT = String.join("\n",
            "trap '' INT HUP",
            "services=$1; infra=$2; ticks=$3",
            "IFS= read -r word",
            "[ \"$word\" = disarm ] && exit 0",
            "alive() { for p in $1; do kill -0 \"$p\" 2>/dev/null && return 0; done; return 1; }",
            "stop() {",
            "  for p in $1; do",
            "    [ \"$2\" = tree ] && command -v pkill >/dev/null && pkill -TERM -P \"$p\" 2>/dev/null",
            "    kill -TERM \"$p\" 2>/dev/null",
            "  done",
            "  i=0",
            "  while [ $i -lt $ticks ] && alive \"$1\"; do sleep 0.1; i=$((i+1)); done",
            "  for p in $1; do",
            "    [ \"$2\" = tree ] && command -v pkill >/dev/null && pkill -KILL -P \"$p\" 2>/dev/null",
            "    kill -KILL \"$p\" 2>/dev/null",
            "  done",
            "}",
            "stop \"$services\" tree",
            "stop \"$infra\" alone",
            "");

    private final Process shell;

    private Watchdog(Process shell) {
        this.shell = shell;
    }

    /** Empty where there is no POSIX shell (then a killed launcher leaves its services behind). */
    static Optional<Watchdog> start(List<Long> servicePids, List<Long> infraPids, Duration grace) {
        if (!Files.isExecutable(SHELL)) {
            return Optional.empty();
        }
        try {
            Process shell = new ProcessBuilder(SHELL.toString(), "-c", SCRIPT, "hearth-watchdog",
                    join(servicePids), join(infraPids), String.valueOf(Math.max(1, grace.toMillis() / 100)))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new Watchdog(shell));
        } catch (IOException e) {
            System.getLogger(Watchdog.class.getName()).log(System.Logger.Level.WARNING,
                    "No watchdog: services would outlive a killed launcher", e);
            return Optional.empty();
        }
    }

    long pid() {
        return shell.pid();
    }

    /** Tells the watchdog the suite was stopped properly, so it exits without killing anything. */
    @Override
    public void close() {
        try (OutputStream in = shell.getOutputStream()) {
            in.write("disarm\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // it is gone already: nothing to disarm
        }
        try {
            if (!shell.waitFor(2, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shell.destroyForcibly();
        }
    }

    private static String join(List<Long> pids) {
        return pids.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
