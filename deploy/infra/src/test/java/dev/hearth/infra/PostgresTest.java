package dev.hearth.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One embedded start for the whole class: it takes seconds (initdb). */
class PostgresTest {

    private static int freePort;
    private static Postgres embedded;

    @BeforeAll
    static void startEmbeddedWhereNothingListens() {
        freePort = FreePorts.pick();
        embedded = Postgres.findOrStart(
                PostgresSettings.fromEnv(Map.of("HEARTH_DB_HOST", "127.0.0.1", "HEARTH_DB_PORT", String.valueOf(freePort))));
    }

    @AfterAll
    static void stop() {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Test
    void startsEmbeddedOnTheConfiguredPortWhenNothingAnswers() throws Exception {
        assertTrue(embedded.endpoint().owned());
        assertEquals(freePort, embedded.endpoint().port());
        assertTrue(embedded.embeddedPid().isPresent());
        try (Connection c = embedded.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            assertTrue(rs.next());
            assertEquals("postgres", rs.getString(1));
        }
    }

    @Test
    void findsARunningServerInsteadOfStartingOne() {
        try (Postgres found = Postgres.findOrStart(PostgresSettings.fromEnv(
                Map.of("HEARTH_DB_PORT", String.valueOf(embedded.endpoint().port()))))) {
            assertFalse(found.endpoint().owned());
            assertEquals(embedded.endpoint().port(), found.endpoint().port());
            assertTrue(found.embeddedPid().isEmpty());
        }
        assertTrue(TcpProbe.isOpen("127.0.0.1", embedded.endpoint().port()), "closing a found server leaves it running");
    }

    @Test
    void createsADatabaseOnceAndDropsIt() throws Exception {
        assertTrue(embedded.createDatabaseIfMissing("hearth_t_create"));
        assertFalse(embedded.createDatabaseIfMissing("hearth_t_create"));
        try (Connection c = embedded.connect("hearth_t_create")) {
            embedded.dropDatabase("hearth_t_create"); // WITH (FORCE): an open connection does not block it
        }
        assertTrue(embedded.createDatabaseIfMissing("hearth_t_create"));
        embedded.dropDatabase("hearth_t_create");
    }

    @Test
    void aPersistentDataDirectoryKeepsDatabasesAcrossRestarts(@TempDir Path data) {
        PostgresSettings settings = PostgresSettings.fromEnv(Map.of("HEARTH_DB_PORT", String.valueOf(FreePorts.pick())))
                .withDataDirectory(data.resolve("postgres"))
                .withLogFile(data.resolve("logs/postgres.log"));
        try (Postgres first = Postgres.findOrStart(settings)) {
            assertTrue(first.endpoint().owned());
            assertTrue(first.createDatabaseIfMissing("kept"));
        }
        try (Postgres second = Postgres.findOrStart(settings.withPort(FreePorts.pick()))) {
            assertTrue(second.endpoint().owned());
            assertFalse(second.createDatabaseIfMissing("kept"), "the database survived the restart");
        }
        assertTrue(Files.isRegularFile(data.resolve("logs/postgres.log")));
    }

    @Test
    void refusesDatabaseNamesThatAreNotPlainIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> embedded.createDatabaseIfMissing("x\"; DROP"));
    }
}
