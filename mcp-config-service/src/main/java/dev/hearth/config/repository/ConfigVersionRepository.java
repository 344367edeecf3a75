package dev.hearth.config.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/** The global config version: one row, bumped inside every config-writing transaction. */
@ApplicationScoped
public class ConfigVersionRepository {

    private final Pool pool;

    public ConfigVersionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Long> current() {
        return pool.query("SELECT version FROM config_version WHERE id = 1").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Bumps the version; call it on the connection of the writing transaction. */
    public Uni<Long> bump(SqlClient tx) {
        return tx.query("UPDATE config_version SET version = version + 1 WHERE id = 1 RETURNING version")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
