package dev.hearth.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RepoLocatorTest {

    @TempDir
    Path tmp;

    @Test
    void walksUpToTheCheckout() throws Exception {
        Path repo = checkout();
        Path deep = Files.createDirectories(repo.resolve("deploy/launcher/target"));
        assertEquals(Optional.of(repo.toAbsolutePath().normalize()), RepoLocator.searchUpwards(deep));
    }

    @Test
    void hearthHomeWins() throws Exception {
        Path repo = checkout();
        assertEquals(repo.toAbsolutePath().normalize(), RepoLocator.locate(Map.of("HEARTH_HOME", repo.toString())));
    }

    @Test
    void aWrongHearthHomeIsReported() {
        assertThrows(IllegalStateException.class, () -> RepoLocator.locate(Map.of("HEARTH_HOME", tmp.toString())));
    }

    @Test
    void missingJarsAreListed() throws Exception {
        Path repo = checkout();
        ServiceJars jars = new ServiceJars(repo);
        assertEquals(7, jars.missing().size());
        Files.createDirectories(jars.jar(ServiceId.GATEWAY).getParent());
        Files.writeString(jars.jar(ServiceId.GATEWAY), "");
        assertEquals(6, jars.missing().size());
    }

    private Path checkout() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("hearth"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("gateway-service"));
        return repo;
    }
}
