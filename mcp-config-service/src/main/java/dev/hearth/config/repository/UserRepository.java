package dev.hearth.config.repository;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.User;
import dev.hearth.config.repository.ConfigWriteRefusedException.Reason;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Users. Every write is one transaction that also bumps the config version and returns the change
 * to publish once committed; a refused write fails with {@link ConfigWriteRefusedException}.
 */
@ApplicationScoped
public class UserRepository {

    /** The kind of {@link ConfigChange} user writes produce. */
    public static final String CHANGE_KIND = "user";

    private static final String COLUMNS = "id, display_name, created_at, updated_at";

    /**
     * Taken by a user delete before it counts the user's keys, and by every key insert before it
     * creates the key's user (ROW EXCLUSIVE, see {@link #createIfMissing}): a key cannot be added
     * between the count and the delete, and both take api_keys before users, so they never deadlock.
     */
    static final String LOCK_KEYS_AGAINST_INSERTS = "LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE";
    static final String LOCK_KEYS_FOR_INSERT = "LOCK TABLE api_keys IN ROW EXCLUSIVE MODE";

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public UserRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
    }

    /** A user that was written, and the config change that write produced. */
    public record Written(User user, ConfigChange change) {
    }

    public Uni<List<User>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY id").execute().map(UserRepository::users);
    }

    public Uni<Optional<User>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> users(rows).stream().findFirst());
    }

    public Uni<Written> insert(String id, String displayName) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        INSERT INTO users (id, display_name) VALUES ($1, $2)
                        ON CONFLICT (id) DO NOTHING RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, displayName))
                .chain(rows -> rows.size() == 0
                        ? ProviderRepository.<User>refuse(Reason.ALREADY_EXISTS, "a user '" + id
                                + "' exists already: PUT /admin/v1/users/" + id + " renames them")
                        : Uni.createFrom().item(user(rows.iterator().next())))
                .chain(user -> versions.bump(tx).map(v -> new Written(user, new ConfigChange(v, CHANGE_KIND, id)))));
    }

    public Uni<Written> replace(String id, String displayName) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1 RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, displayName))
                .chain(rows -> rows.size() == 0
                        ? ProviderRepository.<User>refuse(Reason.NOT_FOUND, notFound(id))
                        : Uni.createFrom().item(user(rows.iterator().next())))
                .chain(user -> versions.bump(tx).map(v -> new Written(user, new ConfigChange(v, CHANGE_KIND, id)))));
    }

    /**
     * Deletes a user none of whose keys is usable and who has no conversations (their history stays
     * theirs). Revoked and expired keys go with the user: nothing can use them any more.
     */
    public Uni<ConfigChange> delete(String id) {
        return pool.withTransaction(tx -> tx.query(LOCK_KEYS_AGAINST_INSERTS).execute()
                .chain(() -> tx.preparedQuery("""
                                SELECT (SELECT count(*) FROM api_keys
                                         WHERE user_id = u.id AND revoked_at IS NULL
                                           AND (expires_at IS NULL OR expires_at > now())),
                                       (SELECT count(*) FROM conversations WHERE user_id = u.id)
                                  FROM users u WHERE u.id = $1 FOR UPDATE""")
                        .execute(Tuple.of(id)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return ProviderRepository.<Void>refuse(Reason.NOT_FOUND, notFound(id));
                    }
                    Row row = rows.iterator().next();
                    long keys = row.getLong(0);
                    long conversations = row.getLong(1);
                    if (keys > 0 || conversations > 0) {
                        return ProviderRepository.<Void>refuse(Reason.IN_USE, inUse(id, keys, conversations));
                    }
                    return tx.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
                })
                .chain(() -> versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, id)));
    }

    /**
     * Creates the user a new API key names when there is none yet (named by its id), in the key's
     * transaction; the key's own change announces the write. Takes api_keys before users, as
     * {@link #delete} does.
     */
    public static Uni<Void> createIfMissing(SqlClient tx, String id) {
        return tx.query(LOCK_KEYS_FOR_INSERT).execute()
                .chain(() -> tx.preparedQuery("INSERT INTO users (id, display_name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING")
                        .execute(Tuple.of(id)))
                .replaceWithVoid();
    }

    private static String notFound(String id) {
        return "no user '" + id + "'";
    }

    private static String inUse(String id, long keys, long conversations) {
        List<String> what = new ArrayList<>();
        if (keys > 0) {
            what.add(keys + " usable API key" + (keys == 1 ? "" : "s")
                    + " (revoke them first: DELETE /admin/v1/api-keys/{id})");
        }
        if (conversations > 0) {
            what.add(conversations + " conversation" + (conversations == 1 ? "" : "s")
                    + " (their history stays tied to them)");
        }
        return "user '" + id + "' still has " + String.join(" and ", what);
    }

    private static List<User> users(RowSet<Row> rows) {
        List<User> users = new ArrayList<>(rows.size());
        rows.forEach(row -> users.add(user(row)));
        return users;
    }

    private static User user(Row row) {
        return new User(row.getString("id"), row.getString("display_name"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")));
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
