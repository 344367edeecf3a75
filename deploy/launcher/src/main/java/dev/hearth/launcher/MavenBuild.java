package dev.hearth.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the given service modules with the repository's Maven wrapper. Only those modules (and
 * what they need): rebuilding the launcher module would overwrite the jar this JVM runs from.
 */
final class MavenBuild {

    private final Path repoDir;

    MavenBuild(Path repoDir) {
        this.repoDir = repoDir;
    }

    void packageServices(List<ServiceId> services) throws IOException, InterruptedException {
        Path wrapper = repoDir.resolve("mvnw");
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(wrapper) ? wrapper.toString() : "mvn");
        command.addAll(List.of("-B", "-q", "-DskipTests", "-am", "-pl",
                services.stream().map(ServiceId::module).collect(Collectors.joining(",")), "package"));
        Process build = new ProcessBuilder(command).directory(repoDir.toFile()).inheritIO().start();
        int exit = build.waitFor();
        if (exit != 0) {
            throw new IOException("Maven build failed (exit " + exit + "): " + String.join(" ", command));
        }
    }
}
