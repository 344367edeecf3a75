package dev.hearth.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The suite's bootstrap admin API key: generated on the first start and kept in
 * {@code <dataDir>/bootstrap-api-key} (mode 600 where POSIX), or the user's own
 * {@code HEARTH_BOOTSTRAP_API_KEY} (then no file is written). mcp-config-service gets it as
 * {@code HEARTH_BOOTSTRAP_API_KEY} on every start and stores its hash as an admin + chat key the
 * first time it sees it. Same format as the keys mcp-config-service issues.
 *
 * @param file where the key is kept; empty when it came from the environment
 */
public record BootstrapApiKey(String key, Optional<Path> file) {

    public static final String ENV = "HEARTH_BOOTSTRAP_API_KEY";
    public static final String FILE_NAME = "bootstrap-api-key";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The user's key if {@code env} has one, else the one kept in {@code dataDir}, made there on first use. */
    public static BootstrapApiKey resolve(Map<String, String> env, Path dataDir) {
        String own = env.get(ENV);
        if (own != null && !own.isBlank()) {
            return new BootstrapApiKey(own.trim(), Optional.empty());
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    restrictToOwner(file);
                    return new BootstrapApiKey(kept, Optional.of(file));
                }
            }
            String key = generate();
            write(file, key);
            return new BootstrapApiKey(key, Optional.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the bootstrap API key in " + file, e);
        }
    }

    /** {@code hk_} + 43 base64url characters: 32 bytes from SecureRandom. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "hk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Never the key itself: a record's toString would otherwise put it in any log that prints this. */
    @Override
    public String toString() {
        return "BootstrapApiKey[" + key.substring(0, Math.min(10, key.length())) + "..., " + origin() + "]";
    }

    /** How the launcher says where the key lives. */
    public String origin() {
        return file.map(f -> "stored in " + f).orElse("from " + ENV);
    }

    // Written to a temporary file created owner-only, then moved into place: the key is never
    // readable by others, not even for a moment, and a reader never sees half a file.
    private static void write(Path file, String key) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = posix()
                ? Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
        try {
            Files.writeString(temp, key + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
