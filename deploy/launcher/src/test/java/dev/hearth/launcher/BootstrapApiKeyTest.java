package dev.hearth.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapApiKeyTest {

    @TempDir
    Path tmp;

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void theFirstStartGeneratesAKeyAndKeepsItOwnerOnly() throws Exception {
        Path data = tmp.resolve("data");
        BootstrapApiKey key = BootstrapApiKey.resolve(Map.of(), data);

        assertTrue(key.key().matches("hk_[A-Za-z0-9_-]{43}"), key.key());
        assertEquals(32, Base64.getUrlDecoder().decode(key.key().substring(3)).length);
        Path file = data.resolve("bootstrap-api-key");
        assertEquals(Optional.of(file), key.file());
        assertEquals(key.key(), Files.readString(file).trim());
        if (posix()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var files = Files.list(data)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertEquals("stored in " + file, key.origin());
        assertFalse(key.toString().contains(key.key()), "toString never shows the key");
    }

    @Test
    void laterStartsUseTheKeptKey() throws Exception {
        BootstrapApiKey first = BootstrapApiKey.resolve(Map.of(), tmp);
        BootstrapApiKey second = BootstrapApiKey.resolve(Map.of(), tmp);
        assertEquals(first.key(), second.key());
        assertNotEquals(first.key(), BootstrapApiKey.resolve(Map.of(), tmp.resolve("elsewhere")).key());
    }

    @Test
    void aKeptFileReadableByOthersIsMadeOwnerOnly() throws Exception {
        Path file = tmp.resolve("bootstrap-api-key");
        Files.writeString(file, "hk_copiedFromElsewhere_0123456789abcdefghijklmnopq\n");
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertEquals("hk_copiedFromElsewhere_0123456789abcdefghijklmnopq", BootstrapApiKey.resolve(Map.of(), tmp).key());
        if (posix()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void anEmptyKeptFileGetsANewKey() throws Exception {
        Files.writeString(tmp.resolve("bootstrap-api-key"), "\n");
        BootstrapApiKey key = BootstrapApiKey.resolve(Map.of(), tmp);
        assertTrue(key.key().startsWith("hk_"));
        assertEquals(key.key(), Files.readString(tmp.resolve("bootstrap-api-key")).trim());
    }

    @Test
    void theUsersOwnKeyWinsAndNoFileIsWritten() throws Exception {
        BootstrapApiKey key = BootstrapApiKey.resolve(Map.of("HEARTH_BOOTSTRAP_API_KEY", " hk_mine_0123456789abcdefghijklmnopqrstuvwxyz "), tmp);
        assertEquals("hk_mine_0123456789abcdefghijklmnopqrstuvwxyz", key.key());
        assertEquals(Optional.empty(), key.file());
        assertEquals("from HEARTH_BOOTSTRAP_API_KEY", key.origin());
        assertFalse(Files.exists(tmp.resolve("bootstrap-api-key")));
        // Blank is unset.
        assertTrue(BootstrapApiKey.resolve(Map.of("HEARTH_BOOTSTRAP_API_KEY", " "), tmp).file().isPresent());
    }
}
