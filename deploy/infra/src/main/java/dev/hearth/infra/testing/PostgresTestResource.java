package dev.hearth.infra.testing;

import dev.hearth.infra.Postgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A fresh database for one test class on the shared PostgreSQL (found or embedded), dropped when
 * the class is done. Overrides {@code hearth.db.*}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private Postgres postgres;
    private String database;

    @Override
    public Map<String, String> start() {
        postgres = SharedInfra.postgres();
        database = UniqueNames.database();
        postgres.createDatabaseIfMissing(database);
        return Map.of(
                "hearth.db.host", postgres.endpoint().host(),
                "hearth.db.port", String.valueOf(postgres.endpoint().port()),
                "hearth.db.name", database,
                "hearth.db.user", postgres.user(),
                "hearth.db.password", postgres.password());
    }

    @Override
    public void stop() {
        if (postgres != null && database != null) {
            postgres.dropDatabase(database);
        }
    }
}
