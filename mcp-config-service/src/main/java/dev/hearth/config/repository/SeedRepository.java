package dev.hearth.config.repository;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.service.ProviderChoice;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Writes the first-start configuration: the demo provider, the detected one, two profiles. */
@ApplicationScoped
public class SeedRepository {

    static final String DEFAULT_SYSTEM_PROMPT =
            "You are Hearth, a helpful assistant for a home. Answer briefly and clearly.";

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public SeedRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
    }

    /**
     * Seeds when no profile exists yet, the default profile allowing {@code defaultTools}. Empty
     * when another instance seeded first (the profile insert conflicts and the transaction writes
     * nothing of its own).
     */
    public Uni<Optional<ConfigChange>> seed(ProviderChoice choice, List<String> defaultTools) {
        return pool.withTransaction(tx -> tx.query("LOCK TABLE profiles IN EXCLUSIVE MODE").execute()
                .chain(() -> tx.query("SELECT count(*) FROM profiles").execute())
                .chain(rows -> rows.iterator().next().getLong(0) > 0
                        ? Uni.createFrom().item(Optional.<ConfigChange>empty())
                        : write(tx, choice, defaultTools).map(Optional::of)));
    }

    private Uni<ConfigChange> write(SqlConnection tx, ProviderChoice choice, List<String> defaultTools) {
        ProviderChoice demo = ProviderChoice.demo("always available");
        Uni<Void> providers = insertProvider(tx, demo, new JsonObject().put("token_delay_ms", 20));
        if (!choice.isDemo()) {
            providers = providers.chain(() -> insertProvider(tx, choice, new JsonObject()));
        }
        return providers
                .chain(() -> insertProfile(tx, "default", "The default profile, chosen on first start: " + choice.reason(),
                        true, choice, defaultTools))
                .chain(() -> insertProfile(tx, "demo", "The built-in demo provider: no LLM needed.", false, demo, List.of()))
                .chain(() -> versions.bump(tx))
                .map(version -> new ConfigChange(version, "profile", "default"));
    }

    private static Uni<Void> insertProvider(SqlConnection tx, ProviderChoice p, JsonObject options) {
        return tx.preparedQuery("""
                        INSERT INTO providers (name, dialect, base_url, api_key_env, models, options)
                        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING""")
                .execute(Tuple.tuple()
                        .addString(p.name()).addString(p.dialect()).addString(p.baseUrl()).addString(p.apiKeyEnv())
                        .addValue(new JsonArray().add(p.model())).addValue(options))
                .replaceWithVoid();
    }

    private static Uni<Void> insertProfile(SqlConnection tx, String name, String description, boolean isDefault,
            ProviderChoice target, List<String> allowedTools) {
        return tx.preparedQuery("""
                        INSERT INTO profiles (name, description, system_prompt, params, allowed_tools, is_default)
                        VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.tuple()
                        .addString(name).addString(description).addString(DEFAULT_SYSTEM_PROMPT)
                        .addValue(new JsonObject()).addValue(new JsonArray(allowedTools)).addBoolean(isDefault))
                .chain(() -> tx.preparedQuery("""
                                INSERT INTO profile_targets (profile_name, position, provider_name, model)
                                VALUES ($1, 0, $2, $3)""")
                        .execute(Tuple.of(name, target.name(), target.model())))
                .replaceWithVoid();
    }
}
