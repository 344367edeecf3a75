package dev.hearth.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server: the one configured if it answers, else an embedded one (zonky) that this
 * object owns and stops on {@link #close()}.
 */
public final class Postgres implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Postgres.class.getName());
    private static final String EMBEDDED_HOST = "127.0.0.1";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private final Endpoint endpoint;
    private final String user;
    private final String password;
    private final PostgresConnector connector;
    private final EmbeddedPostgres embedded;
    private final Path embeddedDataDirectory;

    private Postgres(Endpoint endpoint, String user, String password, EmbeddedPostgres embedded, Path dataDirectory) {
        this.endpoint = endpoint;
        this.user = user;
        this.password = password;
        this.connector = new PostgresConnector(endpoint.host(), endpoint.port(), user, password);
        this.embedded = embedded;
        this.embeddedDataDirectory = dataDirectory;
    }

    public static Postgres findOrStart(PostgresSettings settings) {
        if (settings.dataDirectory() != null) {
            // A server of ours orphaned by a hard kill would otherwise be "found" and never stopped.
            StalePostmaster.stopIfOrphaned(settings.dataDirectory());
        }
        if (new PostgresConnector(settings.host(), settings.port(), settings.user(), settings.password()).answers()) {
            LOG.log(System.Logger.Level.INFO, "Using PostgreSQL at " + settings.host() + ":" + settings.port());
            return new Postgres(new Endpoint(settings.host(), settings.port(), false),
                    settings.user(), settings.password(), null, null);
        }
        return startEmbedded(settings);
    }

    private static Postgres startEmbedded(PostgresSettings settings) {
        boolean temporary = settings.dataDirectory() == null;
        try {
            Path dataDirectory = temporary
                    ? Files.createTempDirectory("hearth-pg-")
                    : Files.createDirectories(settings.dataDirectory());
            int port = FreePorts.preferring(EMBEDDED_HOST, settings.port());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(temporary)
                    // Our owner decides when to stop (after the services that use it).
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", EMBEDDED_HOST)
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (settings.logFile() != null) {
                Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
                builder.setOutputRedirector(Redirect.appendTo(settings.logFile().toFile()))
                        .setErrorRedirector(Redirect.appendTo(settings.logFile().toFile()));
            }
            EmbeddedPostgres pg = builder.start();
            LOG.log(System.Logger.Level.INFO, "Started embedded PostgreSQL on " + EMBEDDED_HOST + ":" + pg.getPort()
                    + " with data in " + dataDirectory);
            // zonky creates the superuser "postgres" with trust authentication.
            return new Postgres(new Endpoint(EMBEDDED_HOST, pg.getPort(), true), "postgres", "", pg, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return connector.jdbcUrl(database);
    }

    public Connection connect(String database) throws SQLException {
        return connector.connect(checkedName(database));
    }

    /** The postmaster's pid when embedded, so a watchdog can stop it if our JVM dies hard. */
    public OptionalLong embeddedPid() {
        return embedded == null ? OptionalLong.empty() : StalePostmaster.pid(embeddedDataDirectory);
    }

    /** @return true if it was created, false if it already existed */
    public boolean createDatabaseIfMissing(String name) {
        checkedName(name);
        try (Connection c = connector.connect("postgres")) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + name + "\"");
                return true;
            }
        } catch (SQLException e) {
            if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                return false; // created concurrently by someone else: what we wanted
            }
            throw new IllegalStateException("could not create database " + name + " on " + endpoint, e);
        }
    }

    /** Drops the database, disconnecting whoever still uses it (PostgreSQL 13+). */
    public void dropDatabase(String name) {
        checkedName(name);
        try (Connection c = connector.connect("postgres"); Statement drop = c.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + name + " on " + endpoint, e);
        }
    }

    private static String checkedName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database names are lower-case identifiers: " + name);
        }
        return name;
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not stop embedded PostgreSQL cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + endpoint;
    }
}
