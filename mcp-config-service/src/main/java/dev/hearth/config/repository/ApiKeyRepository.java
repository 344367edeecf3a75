package dev.hearth.config.repository;

import dev.hearth.config.ApiKey;
import dev.hearth.config.ApiKeyLimits;
import dev.hearth.config.ConfigChange;
import dev.hearth.config.NewApiKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * API keys, stored by the SHA-256 of the key (never the key). Every create and revoke bumps the
 * config version in its transaction and returns the change to publish once committed.
 */
@ApplicationScoped
public class ApiKeyRepository {

    /** The kind of {@link ConfigChange} key writes produce; gateways drop cached verifications on it. */
    public static final String CHANGE_KIND = "api_key";

    private static final String COLUMNS = """
            id, name, user_id, prefix, scopes, messages_per_minute, max_concurrent_streams, max_connections,
            created_at, expires_at, revoked_at, last_used_at""";

    private static final String USABLE_ADMIN = """
            revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AND 'admin' = ANY (scopes)""";

    // Writers of api_keys that must see a stable set of admin keys (revoke, bootstrap) take this
    // lock: it excludes them from each other and from inserts, never from readers.
    private static final String LOCK = "LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE";

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public ApiKeyRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
    }

    /** A key that was written, and the config change that write produced. */
    public record Written(ApiKey key, ConfigChange change) {
    }

    public enum RevokeResult { REVOKED, ALREADY_REVOKED, NOT_FOUND, LAST_ADMIN_KEY }

    /** How a revoke went; {@code change} is set only for {@link RevokeResult#REVOKED}. */
    public record Revocation(RevokeResult result, ConfigChange change) {
    }

    public Uni<Written> insert(String id, NewApiKey key, String keyHash, String prefix) {
        return pool.withTransaction(tx -> insert(tx, id, key, keyHash, prefix));
    }

    /** Stores the key, and its user when the key is the first to name them (see {@link UserRepository#createIfMissing}). */
    private Uni<Written> insert(SqlConnection tx, String id, NewApiKey key, String keyHash, String prefix) {
        return UserRepository.createIfMissing(tx, key.userId()).chain(() -> tx.preparedQuery("""
                        INSERT INTO api_keys (id, name, user_id, key_hash, prefix, scopes, messages_per_minute,
                                              max_concurrent_streams, max_connections, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.tuple()
                        .addString(id).addString(key.name()).addString(key.userId()).addString(keyHash)
                        .addString(prefix).addArrayOfString(key.scopes().toArray(String[]::new))
                        .addInteger(key.limits().messagesPerMinute())
                        .addInteger(key.limits().maxConcurrentStreams())
                        .addInteger(key.limits().maxConnections())
                        .addOffsetDateTime(key.expiresAt() == null ? null : key.expiresAt().atOffset(ZoneOffset.UTC)))
                .map(rows -> apiKey(rows.iterator().next())))
                .chain(stored -> versions.bump(tx)
                        .map(version -> new Written(stored, new ConfigChange(version, CHANGE_KIND, stored.id()))));
    }

    public Uni<List<ApiKey>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id").execute()
                .map(ApiKeyRepository::apiKeys);
    }

    public Uni<Optional<ApiKey>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> apiKeys(rows).stream().findFirst());
    }

    /**
     * The key with this hash, revoked or expired ones too (the caller says why it is refused).
     * A usable key's {@code last_used_at} is refreshed in the same statement, at most once a minute.
     */
    public Uni<Optional<ApiKey>> findForVerification(String keyHash) {
        // A data-modifying WITH runs to completion whether or not the query reads it; the SELECT
        // sees the row as it was before, which is all verification needs.
        return pool.preparedQuery("""
                        WITH touched AS (
                            UPDATE api_keys SET last_used_at = now()
                             WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                               AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
                        SELECT\s""" + COLUMNS + " FROM api_keys WHERE key_hash = $1")
                .execute(Tuple.of(keyHash))
                .map(rows -> apiKeys(rows).stream().findFirst());
    }

    /** Revokes unless it is the last usable admin key (which would leave nobody able to manage keys). */
    public Uni<Revocation> revoke(String id) {
        return pool.withTransaction(tx -> tx.query(LOCK).execute()
                .chain(() -> tx.preparedQuery("SELECT revoked_at IS NOT NULL, " + USABLE_ADMIN
                        + " FROM api_keys WHERE id = $1").execute(Tuple.of(id)))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(new Revocation(RevokeResult.NOT_FOUND, null));
                    }
                    Row row = rows.iterator().next();
                    if (row.getBoolean(0)) {
                        return Uni.createFrom().item(new Revocation(RevokeResult.ALREADY_REVOKED, null));
                    }
                    Uni<Boolean> othersCanAdminister = row.getBoolean(1)
                            ? tx.preparedQuery("SELECT count(*) FROM api_keys WHERE id <> $1 AND " + USABLE_ADMIN)
                                    .execute(Tuple.of(id)).map(count -> count.iterator().next().getLong(0) > 0)
                            : Uni.createFrom().item(true);
                    return othersCanAdminister.chain(ok -> ok
                            ? tx.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE id = $1")
                                    .execute(Tuple.of(id))
                                    .chain(() -> versions.bump(tx))
                                    .map(v -> new Revocation(RevokeResult.REVOKED, new ConfigChange(v, CHANGE_KIND, id)))
                            : Uni.createFrom().item(new Revocation(RevokeResult.LAST_ADMIN_KEY, null)));
                }));
    }

    /**
     * What the bootstrap found and did.
     *
     * @param configuredBefore  the configured key's row when it was stored already (maybe revoked)
     * @param storedConfigured  the configured key, stored now (its hash was not there)
     * @param storedGenerated   a generated key, stored now (no usable admin key was there)
     */
    public record Bootstrap(Optional<ApiKey> configuredBefore, Optional<Written> storedConfigured,
            Optional<Written> storedGenerated) {
    }

    /**
     * The startup bootstrap in one locked transaction, so concurrently starting instances store at
     * most one key: stores {@code configured} if its hash is not there yet; then, if no usable
     * admin key exists, stores {@code generated} (the caller makes its id and secret).
     */
    public Uni<Bootstrap> bootstrap(Optional<BootstrapKey> configured, BootstrapKey generated) {
        return pool.withTransaction(tx -> tx.query(LOCK).execute()
                .chain(() -> configured.isEmpty()
                        ? Uni.createFrom().item(Optional.<ApiKey>empty())
                        : tx.preparedQuery("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = $1")
                                .execute(Tuple.of(configured.get().keyHash()))
                                .map(rows -> apiKeys(rows).stream().findFirst()))
                .chain(before -> {
                    if (configured.isPresent() && before.isEmpty()) {
                        BootstrapKey key = configured.get();
                        return insert(tx, key.id(), key.key(), key.keyHash(), key.prefix())
                                .map(w -> new Bootstrap(before, Optional.of(w), Optional.empty()));
                    }
                    return tx.query("SELECT count(*) FROM api_keys WHERE " + USABLE_ADMIN).execute()
                            .chain(rows -> rows.iterator().next().getLong(0) > 0
                                    ? Uni.createFrom().item(new Bootstrap(before, Optional.empty(), Optional.empty()))
                                    : insert(tx, generated.id(), generated.key(), generated.keyHash(), generated.prefix())
                                            .map(w -> new Bootstrap(before, Optional.empty(), Optional.of(w))));
                }));
    }

    /** A key the bootstrap may store: the row's id, what it is, and the hash and prefix of its secret. */
    public record BootstrapKey(String id, NewApiKey key, String keyHash, String prefix) {
    }

    private static List<ApiKey> apiKeys(RowSet<Row> rows) {
        List<ApiKey> keys = new ArrayList<>(rows.size());
        rows.forEach(row -> keys.add(apiKey(row)));
        return keys;
    }

    private static ApiKey apiKey(Row row) {
        return new ApiKey(row.getString("id"), row.getString("name"), row.getString("user_id"),
                row.getString("prefix"), Arrays.asList(row.getArrayOfStrings("scopes")),
                new ApiKeyLimits(row.getInteger("messages_per_minute"), row.getInteger("max_concurrent_streams"),
                        row.getInteger("max_connections")),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at")), instant(row.getOffsetDateTime("last_used_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
