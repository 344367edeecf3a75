package dev.hearth.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Starts one service as {@code java -jar}, its output (stdout and stderr) to its own log file. */
final class ServiceLauncher {

    private final SuiteConfig config;
    private final Infrastructure infra;
    private final BootstrapApiKey apiKey;
    private final ServiceJars jars;

    ServiceLauncher(SuiteConfig config, Infrastructure infra, BootstrapApiKey apiKey) {
        this.config = config;
        this.infra = infra;
        this.apiKey = apiKey;
        this.jars = new ServiceJars(config.repoDir());
    }

    ServiceProcess start(ServiceId service) {
        return start(service, config.port(service), service.shortName());
    }

    /** Another instance of {@code service} on {@code port}, e.g. a second gateway replica. */
    ServiceProcess start(ServiceId service, int port, String logName) {
        Path log = config.logFile(logName);
        ProcessBuilder builder = new ProcessBuilder(JavaCommand.forJar(jars.jar(service), config.javaOpts(service)))
                .directory(config.dataDir().toFile())
                .redirectInput(Redirect.from(nullDevice()))
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(ServiceEnvironment.of(service, config, infra, apiKey));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        try {
            Files.createDirectories(log.getParent());
            Instant startedAt = Instant.now();
            Process process = builder.start();
            return new ServiceProcess(service, port, process, log, startedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service.shortName(), e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
