package dev.hearth.config.repository;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.ProfileDefinition;
import dev.hearth.config.ProfileDefinition.Params;
import dev.hearth.config.ProfileDefinition.Target;
import dev.hearth.config.repository.ConfigWriteRefusedException.Reason;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.ProviderRef;
import dev.hearth.proto.v1.VoiceSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Profiles with their provider chains. Reads for the other services ({@link Profile}) embed each
 * provider and are stamped with the config version they were read at; the admin API reads and
 * writes {@link ProfileDefinition}s. Every write is one transaction that also bumps the config
 * version and returns the change to publish once committed; a refused write fails with
 * {@link ConfigWriteRefusedException}.
 */
@ApplicationScoped
public class ProfileRepository {

    // One statement, so the profile and the version it is stamped with are one consistent read.
    private static final String SELECT = """
            SELECT p.name, p.description, p.system_prompt, p.params, p.allowed_tools, p.is_default, p.voice,
                   t.position, t.model, v.name AS provider, v.dialect, v.base_url, v.api_key_env, v.options,
                   (SELECT version FROM config_version WHERE id = 1) AS config_version
              FROM profiles p
              LEFT JOIN profile_targets t ON t.profile_name = p.name
              LEFT JOIN providers v ON v.name = t.provider_name
            """;

    private static final String SELECT_DEFINITIONS = """
            SELECT p.name, p.description, p.system_prompt, p.params, p.allowed_tools, p.is_default, p.voice,
                   t.provider_name, t.model
              FROM profiles p
              LEFT JOIN profile_targets t ON t.profile_name = p.name
            """;

    /** The kind of {@link ConfigChange} profile writes produce; gateways drop their profile caches on it. */
    public static final String CHANGE_KIND = "profile";

    // Profile writers take this lock: one at a time, so "at most one default" and "the previous
    // default" are decided on a stable table. Readers are never blocked.
    private static final String LOCK = "LOCK TABLE profiles IN SHARE ROW EXCLUSIVE MODE";

    private final Pool pool;
    private final ConfigVersionRepository versions;

    public ProfileRepository(Pool pool, ConfigVersionRepository versions) {
        this.pool = pool;
        this.versions = versions;
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

    public Uni<List<ProfileDefinition>> listDefinitions() {
        return pool.query(SELECT_DEFINITIONS + " ORDER BY p.name, t.position").execute()
                .map(ProfileRepository::definitions);
    }

    public Uni<Optional<ProfileDefinition>> findDefinition(String name) {
        return pool.preparedQuery(SELECT_DEFINITIONS + " WHERE p.name = $1 ORDER BY t.position").execute(Tuple.of(name))
                .map(rows -> definitions(rows).stream().findFirst());
    }

    /** Creates a profile; when it is the default, the previous default stops being one. */
    public Uni<ConfigChange> insert(ProfileDefinition profile) {
        return pool.withTransaction(tx -> tx.query(LOCK).execute()
                .chain(() -> isDefault(tx, profile.name()))
                .chain(existing -> existing.isPresent()
                        ? ProviderRepository.<Void>refuse(Reason.ALREADY_EXISTS, "a profile named '" + profile.name()
                                + "' exists already: PUT /admin/v1/profiles/" + profile.name() + " replaces it")
                        : lockProviders(tx, profile))
                .chain(() -> profile.isDefault() ? clearOtherDefault(tx, profile.name()) : Uni.createFrom().voidItem())
                .chain(() -> tx.preparedQuery("""
                                INSERT INTO profiles (name, description, system_prompt, params, allowed_tools, is_default, voice)
                                VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                        .execute(Tuple.tuple().addString(profile.name()).addString(profile.description())
                                .addString(profile.systemPrompt()).addValue(paramsJson(profile.params()))
                                .addValue(new JsonArray(new ArrayList<>(profile.allowedTools())))
                                .addBoolean(profile.isDefault()).addValue(voiceJson(profile.voice()))))
                .chain(() -> insertTargets(tx, profile))
                .chain(() -> versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, profile.name())));
    }

    /**
     * Replaces every field but the name, the chain included. The default profile stays the
     * default until another one is made the default: a write that would leave none is refused.
     */
    public Uni<ConfigChange> replace(ProfileDefinition profile) {
        return pool.withTransaction(tx -> tx.query(LOCK).execute()
                .chain(() -> isDefault(tx, profile.name()))
                .chain(existing -> {
                    if (existing.isEmpty()) {
                        return ProviderRepository.<Void>refuse(Reason.NOT_FOUND, notFound(profile.name()));
                    }
                    if (existing.get() && !profile.isDefault()) {
                        return ProviderRepository.<Void>refuse(Reason.DEFAULT_REQUIRED, "profile '" + profile.name()
                                + "' is the default profile and must stay so (is_default: true) until another "
                                + "profile is made the default");
                    }
                    return lockProviders(tx, profile);
                })
                .chain(() -> profile.isDefault() ? clearOtherDefault(tx, profile.name()) : Uni.createFrom().voidItem())
                .chain(() -> tx.preparedQuery("""
                                UPDATE profiles SET description = $2, system_prompt = $3, params = $4, allowed_tools = $5,
                                                    is_default = $6, voice = $7, updated_at = now()
                                 WHERE name = $1""")
                        .execute(Tuple.tuple().addString(profile.name()).addString(profile.description())
                                .addString(profile.systemPrompt()).addValue(paramsJson(profile.params()))
                                .addValue(new JsonArray(new ArrayList<>(profile.allowedTools())))
                                .addBoolean(profile.isDefault()).addValue(voiceJson(profile.voice()))))
                .chain(() -> tx.preparedQuery("DELETE FROM profile_targets WHERE profile_name = $1")
                        .execute(Tuple.of(profile.name())))
                .chain(() -> insertTargets(tx, profile))
                .chain(() -> versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, profile.name())));
    }

    /** Deletes a profile other than the default one (a default must be replaced first). */
    public Uni<ConfigChange> delete(String name) {
        return pool.withTransaction(tx -> tx.query(LOCK).execute()
                .chain(() -> isDefault(tx, name))
                .chain(existing -> {
                    if (existing.isEmpty()) {
                        return ProviderRepository.<Void>refuse(Reason.NOT_FOUND, notFound(name));
                    }
                    if (existing.get()) {
                        return ProviderRepository.<Void>refuse(Reason.DEFAULT_REQUIRED, "profile '" + name
                                + "' is the default profile: make another profile the default (is_default: true) "
                                + "before deleting it");
                    }
                    // Its chain goes with it (ON DELETE CASCADE).
                    return tx.preparedQuery("DELETE FROM profiles WHERE name = $1").execute(Tuple.of(name))
                            .replaceWithVoid();
                })
                .chain(() -> versions.bump(tx))
                .map(version -> new ConfigChange(version, CHANGE_KIND, name)));
    }

    /** Whether the profile is the default one; empty when it does not exist. */
    private static Uni<Optional<Boolean>> isDefault(SqlConnection tx, String name) {
        return tx.preparedQuery("SELECT is_default FROM profiles WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBoolean(0)));
    }

    /**
     * Refuses a chain naming a provider that does not exist, and keeps the ones it names from
     * being deleted until this transaction ends (FOR KEY SHARE: a provider delete waits, then
     * finds the new profile using it).
     */
    private static Uni<Void> lockProviders(SqlConnection tx, ProfileDefinition profile) {
        Set<String> named = new LinkedHashSet<>();
        profile.targets().forEach(t -> named.add(t.provider()));
        return tx.preparedQuery("SELECT name FROM providers WHERE name = ANY ($1) FOR KEY SHARE")
                .execute(Tuple.of(named.toArray(String[]::new)))
                .chain(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(row -> found.add(row.getString(0)));
                    named.removeAll(found);
                    return named.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : ProviderRepository.<Void>refuse(Reason.UNKNOWN_PROVIDER, "profile '" + profile.name()
                                    + "' names providers that do not exist: " + named.stream().map(n -> "'" + n + "'")
                                    .collect(Collectors.joining(", ")) + " (create them with POST /admin/v1/providers)");
                });
    }

    private static Uni<Void> clearOtherDefault(SqlConnection tx, String name) {
        return tx.preparedQuery("UPDATE profiles SET is_default = false, updated_at = now() WHERE is_default AND name <> $1")
                .execute(Tuple.of(name)).replaceWithVoid();
    }

    private static Uni<Void> insertTargets(SqlConnection tx, ProfileDefinition profile) {
        List<Tuple> links = new ArrayList<>(profile.targets().size());
        for (int position = 0; position < profile.targets().size(); position++) {
            Target target = profile.targets().get(position);
            links.add(Tuple.of(profile.name(), position, target.provider(), target.model()));
        }
        return tx.preparedQuery("""
                        INSERT INTO profile_targets (profile_name, position, provider_name, model)
                        VALUES ($1, $2, $3, $4)""")
                .executeBatch(links)
                .replaceWithVoid();
    }

    private static String notFound(String name) {
        return "no profile named '" + name + "'";
    }

    /** Params as stored: unset ones are absent, which {@link #params(JsonObject)} reads as unset. */
    static JsonObject paramsJson(Params params) {
        JsonObject json = new JsonObject();
        if (params.temperature() != null) {
            json.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            json.put("top_p", params.topP());
        }
        if (params.maxTokens() != null) {
            json.put("max_tokens", params.maxTokens());
        }
        if (!params.stop().isEmpty()) {
            json.put("stop", new JsonArray(new ArrayList<>(params.stop())));
        }
        return json;
    }

    /** Voice settings as stored: unset ones are absent. */
    static JsonObject voiceJson(ProfileDefinition.Voice voice) {
        JsonObject json = new JsonObject();
        putIfSet(json, "stt_engine", voice.sttEngine());
        putIfSet(json, "tts_engine", voice.ttsEngine());
        putIfSet(json, "tts_voice", voice.ttsVoice());
        putIfSet(json, "language", voice.language());
        return json;
    }

    private static void putIfSet(JsonObject json, String key, String value) {
        if (!value.isEmpty()) {
            json.put(key, value);
        }
    }

    private static ProfileDefinition.Voice storedVoice(JsonObject json) {
        if (json == null) {
            return ProfileDefinition.Voice.DEFAULTS;
        }
        return new ProfileDefinition.Voice(json.getString("stt_engine"), json.getString("tts_engine"),
                json.getString("tts_voice"), json.getString("language"));
    }

    private static List<ProfileDefinition> definitions(RowSet<Row> rows) {
        Map<String, Row> first = new LinkedHashMap<>();
        Map<String, List<Target>> chains = new LinkedHashMap<>();
        for (Row row : rows) {
            String name = row.getString("name");
            first.putIfAbsent(name, row);
            List<Target> chain = chains.computeIfAbsent(name, n -> new ArrayList<>());
            if (row.getString("provider_name") != null) {
                chain.add(new Target(row.getString("provider_name"), row.getString("model")));
            }
        }
        List<ProfileDefinition> profiles = new ArrayList<>(first.size());
        first.forEach((name, row) -> profiles.add(new ProfileDefinition(name, row.getString("description"),
                row.getString("system_prompt"), storedParams(row.getJsonObject("params")), chains.get(name),
                strings(row.getJsonArray("allowed_tools")), row.getBoolean("is_default"),
                storedVoice(row.getJsonObject("voice")))));
        return profiles;
    }

    private static Params storedParams(JsonObject json) {
        GenerationParams read = params(json);
        return new Params(read.hasTemperature() ? read.getTemperature() : null, read.hasTopP() ? read.getTopP() : null,
                read.hasMaxTokens() ? read.getMaxTokens() : null, read.getStopList());
    }

    private static List<String> strings(JsonArray json) {
        List<String> strings = new ArrayList<>();
        if (json != null) {
            json.forEach(s -> strings.add(String.valueOf(s)));
        }
        return strings;
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
        ProfileDefinition.Voice voice = storedVoice(row.getJsonObject("voice"));
        builder.setVoice(VoiceSettings.newBuilder().setSttEngine(voice.sttEngine()).setTtsEngine(voice.ttsEngine())
                .setTtsVoice(voice.ttsVoice()).setLanguage(voice.language()));
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
