package dev.hearth.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Stops services stage by stage (gateway, router, the rest): SIGTERM so Quarkus shuts down
 * gracefully, SIGKILL for whatever is still alive after the timeout, then the same for anything
 * the services had started (those are no longer their descendants once they exit, so they are
 * captured first).
 */
final class ProcessStopper {

    private static final Duration DESCENDANT_GRACE = Duration.ofSeconds(2);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final Duration timeout;

    ProcessStopper(Duration timeout) {
        this.timeout = timeout;
    }

    void stop(List<ServiceProcess> processes) {
        for (List<ServiceId> stage : ServiceId.stopStages()) {
            List<ServiceProcess> inStage = processes.stream()
                    .filter(p -> stage.contains(p.service()))
                    .collect(Collectors.toList());
            List<ProcessHandle> descendants = new ArrayList<>();
            inStage.forEach(p -> p.process().descendants().forEach(descendants::add));
            inStage.forEach(p -> p.process().destroy());
            awaitOrKill(inStage.stream().map(ServiceProcess::handle).collect(Collectors.toList()), timeout);
            descendants.stream().filter(ProcessLiveness::isRunning).forEach(ProcessHandle::destroy);
            awaitOrKill(descendants, DESCENDANT_GRACE);
        }
    }

    static void awaitOrKill(List<ProcessHandle> handles, Duration grace) {
        Instant deadline = Instant.now().plus(grace);
        for (ProcessHandle handle : handles) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!ProcessLiveness.awaitGone(handle, left.isNegative() ? Duration.ZERO : left)) {
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : handles) {
            // SIGKILL cannot be refused; wait briefly so callers see the processes gone.
            ProcessLiveness.awaitGone(handle, KILL_GRACE);
        }
    }
}
