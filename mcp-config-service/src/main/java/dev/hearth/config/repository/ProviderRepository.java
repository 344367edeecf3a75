package dev.hearth.config.repository;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.Provider;
import dev.hearth.config.repository.ConfigWriteRefusedException.Reason;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Providers. Every write is one transaction that also bumps the config version and returns the
 * change to publish once committed; a refused write fails with {@link ConfigWriteRefusedException}.
 */
@ApplicationScoped
public class ProviderRepository {

    /** The kind of {@link ConfigChange} provider writes produce. */
    public static final String CHANGE_KIND = "provider";

    private static final String COLUMNS = "name, dialect, base_url, api_key_env, models, options";
    /** PostgreSQL's foreign_key_violation. */
    static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public ProviderRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
    }

    public Uni<List<Provider>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM providers ORDER BY name").execute()
                .map(ProviderRepository::providers);
    }

    public Uni<Optional<Provider>> find(String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM providers WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> providers(rows).stream().findFirst());
    }

    public Uni<ConfigChange> insert(Provider provider) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        INSERT INTO providers (name, dialect, base_url, api_key_env, models, options)
                        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING""")
                .execute(values(provider))
                .chain(rows -> rows.rowCount() == 0
                        ? refuse(Reason.ALREADY_EXISTS, "a provider named '" + provider.name()
                                + "' exists already: PUT /admin/v1/providers/" + provider.name() + " replaces it")
                        : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, provider.name())));
    }

    /** Replaces every field but the name; the profiles naming it see the change at once. */
    public Uni<ConfigChange> replace(Provider provider) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        UPDATE providers SET dialect = $2, base_url = $3, api_key_env = $4, models = $5, options = $6,
                                             updated_at = now()
                         WHERE name = $1""")
                .execute(values(provider))
                .chain(rows -> rows.rowCount() == 0 ? refuse(Reason.NOT_FOUND, notFound(provider.name())) : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, provider.name())));
    }

    /** Deletes a provider no profile names. */
    public Uni<ConfigChange> delete(String name) {
        return pool.withTransaction(tx -> tx.preparedQuery(
                        "SELECT DISTINCT profile_name FROM profile_targets WHERE provider_name = $1 ORDER BY 1")
                .execute(Tuple.of(name))
                .chain(users -> {
                    if (users.size() > 0) {
                        List<String> profiles = new ArrayList<>();
                        users.forEach(row -> profiles.add(row.getString(0)));
                        return refuse(Reason.IN_USE, inUse(name, profiles));
                    }
                    return tx.preparedQuery("DELETE FROM providers WHERE name = $1").execute(Tuple.of(name));
                })
                // A profile naming it committed after the check above: the foreign key refuses the delete.
                .onFailure(ProviderRepository::isForeignKeyViolation)
                .transform(e -> new ConfigWriteRefusedException(Reason.IN_USE, inUse(name, List.of())))
                .chain(rows -> rows.rowCount() == 0 ? refuse(Reason.NOT_FOUND, notFound(name)) : versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, name)));
    }

    static boolean isForeignKeyViolation(Throwable failure) {
        return failure instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState());
    }

    private static String notFound(String name) {
        return "no provider named '" + name + "'";
    }

    private static String inUse(String name, List<String> profiles) {
        String which = profiles.isEmpty() ? "a profile" : "profiles " + profiles.stream()
                .map(p -> "'" + p + "'").collect(Collectors.joining(", "));
        return "provider '" + name + "' is used by " + which
                + ": remove it from their targets (PUT /admin/v1/profiles/{name}) before deleting it";
    }

    static <T> Uni<T> refuse(Reason reason, String detail) {
        return Uni.createFrom().failure(new ConfigWriteRefusedException(reason, detail));
    }

    private static Tuple values(Provider p) {
        JsonObject options = new JsonObject();
        p.options().forEach(options::put);
        return Tuple.tuple()
                .addString(p.name()).addString(p.dialect()).addString(p.baseUrl()).addString(p.apiKeyEnv())
                .addValue(new JsonArray(new ArrayList<>(p.models()))).addValue(options);
    }

    private static List<Provider> providers(RowSet<Row> rows) {
        List<Provider> providers = new ArrayList<>(rows.size());
        rows.forEach(row -> providers.add(provider(row)));
        return providers;
    }

    private static Provider provider(Row row) {
        List<String> models = new ArrayList<>();
        JsonArray storedModels = row.getJsonArray("models");
        if (storedModels != null) {
            storedModels.forEach(m -> models.add(String.valueOf(m)));
        }
        // Sorted, so a read shows the same options in the same order every time.
        Map<String, String> options = new LinkedHashMap<>();
        JsonObject storedOptions = row.getJsonObject("options");
        if (storedOptions != null) {
            storedOptions.fieldNames().stream().sorted()
                    .forEach(key -> options.put(key, String.valueOf(storedOptions.getValue(key))));
        }
        return new Provider(row.getString("name"), row.getString("dialect"), row.getString("base_url"),
                row.getString("api_key_env"), models, options);
    }
}
