package dev.hearth.launcher;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** One running service: its process, port, log, and when it was started. */
public final class ServiceProcess {

    private final ServiceId service;
    private final int port;
    private final Process process;
    private final Path log;
    private final Instant startedAt;

    ServiceProcess(ServiceId service, int port, Process process, Path log, Instant startedAt) {
        this.service = service;
        this.port = port;
        this.process = process;
        this.log = log;
        this.startedAt = startedAt;
    }

    public ServiceId service() {
        return service;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process and everything it started, as of now (children are lost once it exits). */
    public List<ProcessHandle> treeSnapshot() {
        List<ProcessHandle> tree = process.descendants().collect(Collectors.toList());
        tree.add(0, process.toHandle());
        return tree;
    }

    @Override
    public String toString() {
        return service.shortName() + " (pid " + pid() + ", port " + port + ")";
    }
}
