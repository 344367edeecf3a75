package dev.hearth.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Where each service's runnable jar is (Quarkus fast-jar layout) and which are not built yet. */
public final class ServiceJars {

    private final Path repoDir;

    public ServiceJars(Path repoDir) {
        this.repoDir = repoDir;
    }

    public Path jar(ServiceId service) {
        return repoDir.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public List<ServiceId> missing() {
        return Arrays.stream(ServiceId.values())
                .filter(service -> !Files.isRegularFile(jar(service)))
                .collect(Collectors.toList());
    }
}
