package dev.hearth.infra;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where to look for PostgreSQL, and how to run an embedded one if nothing answers there.
 *
 * @param dataDirectory where an embedded server keeps its data across runs; {@code null} means
 *                      a temporary directory deleted on close (tests)
 * @param logFile       where an embedded server writes its log; {@code null} sends it to SLF4J
 */
public record PostgresSettings(String host, int port, String user, String password,
                               Path dataDirectory, Path logFile) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_USER = "postgres";

    /** Reads HEARTH_DB_HOST, HEARTH_DB_PORT, HEARTH_DB_USER, HEARTH_DB_PASSWORD. */
    public static PostgresSettings fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        return new PostgresSettings(
                e.get("HEARTH_DB_HOST", DEFAULT_HOST),
                e.getInt("HEARTH_DB_PORT", DEFAULT_PORT),
                e.get("HEARTH_DB_USER", DEFAULT_USER),
                e.get("HEARTH_DB_PASSWORD", ""),
                null, null);
    }

    public PostgresSettings withPort(int newPort) {
        return new PostgresSettings(host, newPort, user, password, dataDirectory, logFile);
    }

    public PostgresSettings withDataDirectory(Path directory) {
        return new PostgresSettings(host, port, user, password, directory, logFile);
    }

    public PostgresSettings withLogFile(Path file) {
        return new PostgresSettings(host, port, user, password, dataDirectory, file);
    }
}
