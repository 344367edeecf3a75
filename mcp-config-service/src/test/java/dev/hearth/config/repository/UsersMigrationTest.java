package dev.hearth.config.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.infra.Postgres;
import dev.hearth.infra.testing.SharedInfra;
import dev.hearth.infra.testing.UniqueNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** V3 on a database that already has keys and conversations (written at V2), as an upgrade meets it. */
class UsersMigrationTest {

    private Postgres postgres;
    private String database;

    @BeforeEach
    void databaseAtV2() {
        postgres = SharedInfra.postgres();
        database = UniqueNames.database();
        postgres.createDatabaseIfMissing(database);
        flyway("2").migrate();
    }

    @AfterEach
    void drop() {
        postgres.dropDatabase(database);
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(postgres.jdbcUrl(database), postgres.user(), postgres.password())
                .locations("classpath:db/migration").target(target).load();
    }

    @Test
    void everyUserIdInUseBecomesAUserAndKeysThenNeedOne() throws SQLException {
        try (Connection db = postgres.connect(database); Statement sql = db.createStatement()) {
            sql.execute("""
                    INSERT INTO api_keys (id, name, user_id, key_hash, prefix, scopes, created_at) VALUES
                      ('k_000000000001', 'phone', 'alice', repeat('a', 64), 'hk_a', ARRAY['chat'], '2025-01-02Z'),
                      ('k_000000000002', 'tablet', 'alice', repeat('b', 64), 'hk_b', ARRAY['chat'], '2025-01-01Z'),
                      ('k_000000000003', 'admin', 'bob@home', repeat('c', 64), 'hk_c', ARRAY['admin'], '2025-03-01Z')""");
            sql.execute("""
                    INSERT INTO conversations (id, user_id, created_at) VALUES
                      ('c1', 'alice', '2024-12-31Z'), ('c2', 'carol', '2025-02-01Z'), ('c3', 'not a user id', now())""");

            flyway("3").migrate();

            Map<String, String> users = new LinkedHashMap<>();
            try (ResultSet rows = sql.executeQuery(
                    "SELECT id, display_name, created_at::date::text FROM users ORDER BY id")) {
                while (rows.next()) {
                    users.put(rows.getString(1), rows.getString(2) + " since " + rows.getString(3));
                }
            }
            // The earliest trace of each user is when they came to be; an ill-formed owner is left out.
            assertThat(users).containsExactly(
                    Map.entry("alice", "alice since 2024-12-31"),
                    Map.entry("bob@home", "bob@home since 2025-03-01"),
                    Map.entry("carol", "carol since 2025-02-01"));

            // From now on a key names a user that exists...
            assertThatThrownBy(() -> sql.execute("""
                    INSERT INTO api_keys (id, name, user_id, key_hash, prefix, scopes)
                    VALUES ('k_000000000004', 'x', 'dave', repeat('d', 64), 'hk_d', ARRAY['chat'])"""))
                    .hasMessageContaining("api_keys_user_fk");
            // ...and conversations keep working for owners that are not users (history never checked them).
            sql.execute("INSERT INTO conversations (id, user_id) VALUES ('c4', 'another one')");
        }
    }
}
