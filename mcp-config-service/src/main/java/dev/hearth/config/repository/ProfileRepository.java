package dev.hearth.config.repository;

import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.ProviderRef;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads profiles with their provider chains, each stamped with the config version it was read at. */
@ApplicationScoped
public class ProfileRepository {

    // One statement, so the profile and the version it is stamped with are one consistent read.
    private static final String SELECT = """
            SELECT p.name, p.description, p.system_prompt, p.params, p.allowed_tools, p.is_default,
                   t.position, t.model, v.name AS provider, v.dialect, v.base_url, v.api_key_env, v.options,
                   (SELECT version FROM config_version WHERE id = 1) AS config_version
              FROM profiles p
              LEFT JOIN profile_targets t ON t.profile_name = p.name
              LEFT JOIN providers v ON v.name = t.provider_name
            """;

    private final Pool pool;

    public ProfileRepository(Pool pool) {
        this.pool = pool;
    }

    /** The named profile, or the default one when {@code name} is blank. */
    public Uni<Optional<Profile>> find(String name) {
        Uni<RowSet<Row>> rows = name == null || name.isBlank()
                ? pool.query(SELECT + " WHERE p.is_default ORDER BY t.position").execute()
                : pool.preparedQuery(SELECT + " WHERE p.name = $1 ORDER BY t.position").execute(Tuple.of(name));
        return rows.map(set -> assemble(set).stream().findFirst());
    }

    public Uni<List<Profile>> listAll() {
        return pool.query(SELECT + " ORDER BY p.name, t.position").execute().map(ProfileRepository::assemble);
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM profiles").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static List<Profile> assemble(RowSet<Row> rows) {
        Map<String, Profile.Builder> byName = new LinkedHashMap<>();
        for (Row row : rows) {
            Profile.Builder profile = byName.computeIfAbsent(row.getString("name"), n -> newProfile(row));
            if (row.getString("provider") != null) {
                profile.addTargets(ProfileTarget.newBuilder()
                        .setProvider(providerRef(row))
                        .setModel(row.getString("model")));
            }
        }
        List<Profile> profiles = new ArrayList<>(byName.size());
        byName.values().forEach(b -> profiles.add(b.build()));
        return profiles;
    }

    private static Profile.Builder newProfile(Row row) {
        Profile.Builder builder = Profile.newBuilder()
                .setName(row.getString("name"))
                .setDescription(row.getString("description"))
                .setSystemPrompt(row.getString("system_prompt"))
                .setIsDefault(row.getBoolean("is_default"))
                .setVersion(row.getLong("config_version"))
                .setParams(params(row.getJsonObject("params")));
        JsonArray tools = row.getJsonArray("allowed_tools");
        if (tools != null) {
            tools.forEach(t -> builder.addAllowedTools(String.valueOf(t)));
        }
        return builder;
    }

    private static ProviderRef providerRef(Row row) {
        ProviderRef.Builder ref = ProviderRef.newBuilder()
                .setName(row.getString("provider"))
                .setDialect(row.getString("dialect"))
                .setBaseUrl(row.getString("base_url"))
                .setApiKeyEnv(row.getString("api_key_env"));
        JsonObject options = row.getJsonObject("options");
        if (options != null) {
            options.forEach(e -> ref.putOptions(e.getKey(), String.valueOf(e.getValue())));
        }
        return ref.build();
    }

    static GenerationParams params(JsonObject json) {
        GenerationParams.Builder params = GenerationParams.newBuilder();
        if (json == null) {
            return params.build();
        }
        if (json.getValue("temperature") instanceof Number n) {
            params.setTemperature(n.doubleValue());
        }
        if (json.getValue("top_p") instanceof Number n) {
            params.setTopP(n.doubleValue());
        }
        if (json.getValue("max_tokens") instanceof Number n) {
            params.setMaxTokens(n.intValue());
        }
        JsonArray stop = json.getJsonArray("stop");
        if (stop != null) {
            stop.forEach(s -> params.addStop(String.valueOf(s)));
        }
        return params.build();
    }
}
