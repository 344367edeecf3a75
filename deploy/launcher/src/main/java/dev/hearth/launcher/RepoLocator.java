package dev.hearth.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Hearth repository: HEARTH_HOME, else the nearest directory above the launcher jar or
 * the working directory that holds {@code pom.xml} and {@code gateway-service}.
 */
public final class RepoLocator {

    private RepoLocator() {
    }

    public static Path locate(Map<String, String> env) {
        String home = env.get("HEARTH_HOME");
        if (home != null && !home.isBlank()) {
            Path path = Path.of(home).toAbsolutePath().normalize();
            if (!isRepo(path)) {
                throw new IllegalStateException("HEARTH_HOME=" + home + " is not a Hearth checkout (no pom.xml + gateway-service)");
            }
            return path;
        }
        return launcherLocation().flatMap(RepoLocator::searchUpwards)
                .or(() -> searchUpwards(Path.of("").toAbsolutePath()))
                .orElseThrow(() -> new IllegalStateException(
                        "Cannot find the Hearth checkout: run from inside it or set HEARTH_HOME"));
    }

    public static Optional<Path> searchUpwards(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isRepo(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    static boolean isRepo(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("gateway-service"));
    }

    private static Optional<Path> launcherLocation() {
        try {
            var source = RepoLocator.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }
}
