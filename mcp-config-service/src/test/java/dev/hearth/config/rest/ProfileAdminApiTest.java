package dev.hearth.config.rest;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.config.ConfigWriteProbe;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.VoiceSettings;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The profiles admin API over real HTTP; its effects in PostgreSQL, on Redis Pub/Sub and on what
 * the router reads over gRPC.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiKeyAdminApiTest.WithAdminKey.class)
class ProfileAdminApiTest {

    static final String PATH = "/admin/v1/profiles";
    static final String PROVIDERS = "/admin/v1/providers";

    @GrpcClient("self")
    MutinyConfigServiceGrpc.MutinyConfigServiceStub config;

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    private ConfigWriteProbe probe;

    @BeforeEach
    void subscribeAndMakeProviders() {
        probe = new ConfigWriteProbe(pool, redis, redisKeys);
        probe.subscribe();
        // Two providers for chains, made once for the class (a repeated POST is a harmless 409).
        for (JsonObject provider : new JsonObject[] {
                new JsonObject().put("name", "primary").put("dialect", "openai").put("base_url", "http://127.0.0.1:1/v1")
                        .put("api_key_env", "PRIMARY_API_KEY").put("options", new JsonObject().put("organization", "home")),
                new JsonObject().put("name", "backup").put("dialect", "anthropic").put("api_key_env", "ANTHROPIC_API_KEY")}) {
            int status = admin().body(provider.encode()).post(PROVIDERS).statusCode();
            assertThat(status).isIn(201, 409);
        }
        probe.changes();
    }

    @AfterEach
    void unsubscribe() {
        probe.unsubscribe();
    }

    static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    static JsonObject kitchen(String name) {
        return new JsonObject().put("name", name).put("description", "Kitchen tablet\nshort answers")
                .put("system_prompt", "You are the kitchen assistant. Keep it short.")
                .put("params", new JsonObject().put("temperature", 0.4).put("top_p", 0.9).put("max_tokens", 512)
                        .put("stop", new JsonArray().add("\n\nUser:")))
                .put("targets", new JsonArray()
                        .add(new JsonObject().put("provider", "primary").put("model", "gpt-4o-mini"))
                        .add(new JsonObject().put("provider", "backup").put("model", "claude-haiku-4-5"))
                        .add(new JsonObject().put("provider", "demo").put("model", "demo-1")))
                .put("allowed_tools", new JsonArray().add("lights.*").add("timer_set"))
                .put("is_default", false)
                .put("voice", new JsonObject().put("stt_engine", "pocketsphinx").put("tts_engine", "flite")
                        .put("tts_voice", "slt").put("language", "en-US"));
    }

    private Profile grpcProfile(String name) {
        return config.getProfile(GetProfileRequest.newBuilder().setName(name).build()).await().atMost(Duration.ofSeconds(10));
    }

    private Status.Code grpcFailure(String name) {
        Throwable failure = config.getProfile(GetProfileRequest.newBuilder().setName(name).build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(10));
        return Status.fromThrowable(failure).getCode();
    }

    private static String chain(Profile profile) {
        return String.join(" > ", profile.getTargetsList().stream()
                .map(t -> t.getProvider().getName() + "/" + t.getModel()).toList());
    }

    @Test
    void createReadReplaceDeleteWhatTheRouterReadsFollows() {
        long version = probe.version();
        Response created = admin().body(kitchen("kitchen").encode()).post(PATH);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(PATH + "/kitchen");
        assertThat(new JsonObject(created.asString())).isEqualTo(kitchen("kitchen"));
        probe.assertOneChange("profile", "kitchen", version);
        assertThat(new JsonObject(admin().get(PATH + "/kitchen").then().statusCode(200).extract().asString()))
                .isEqualTo(kitchen("kitchen"));
        assertThat(admin().get(PATH).then().statusCode(200).extract().jsonPath().getList("profiles.name"))
                .contains("default", "demo", "kitchen");

        Profile read = grpcProfile("kitchen");
        assertThat(chain(read)).isEqualTo("primary/gpt-4o-mini > backup/claude-haiku-4-5 > demo/demo-1");
        ProfileTarget first = read.getTargets(0);
        assertThat(first.getProvider().getDialect()).isEqualTo("openai");
        assertThat(first.getProvider().getBaseUrl()).isEqualTo("http://127.0.0.1:1/v1");
        assertThat(first.getProvider().getApiKeyEnv()).isEqualTo("PRIMARY_API_KEY");
        assertThat(first.getProvider().getOptionsMap()).containsExactly(Map.entry("organization", "home"));
        assertThat(read.getParams().getTemperature()).isEqualTo(0.4);
        assertThat(read.getParams().getTopP()).isEqualTo(0.9);
        assertThat(read.getParams().getMaxTokens()).isEqualTo(512);
        assertThat(read.getParams().getStopList()).containsExactly("\n\nUser:");
        assertThat(read.getAllowedToolsList()).containsExactly("lights.*", "timer_set");
        assertThat(read.getSystemPrompt()).isEqualTo("You are the kitchen assistant. Keep it short.");
        assertThat(read.getIsDefault()).isFalse();
        assertThat(read.getVersion()).isEqualTo(probe.version());
        assertThat(read.getVoice()).as("the router reads the profile's voice settings").isEqualTo(VoiceSettings.newBuilder()
                .setSttEngine("pocketsphinx").setTtsEngine("flite").setTtsVoice("slt").setLanguage("en-US").build());

        // PUT replaces the whole profile, chain included; unset params read as unset.
        JsonObject replaced = kitchen("kitchen")
                .put("params", new JsonObject().put("temperature", 1.2))
                .put("targets", new JsonArray()
                        .add(new JsonObject().put("provider", "backup").put("model", "claude-sonnet-4-5"))
                        .add(new JsonObject().put("provider", "primary").put("model", "gpt-4o")))
                .put("allowed_tools", new JsonArray())
                .put("voice", new JsonObject().put("tts_engine", "espeak").put("tts_voice", "de+f3"));
        version = probe.version();
        JsonObject answer = new JsonObject(admin().body(replaced.encode()).put(PATH + "/kitchen")
                .then().statusCode(200).extract().asString());
        probe.assertOneChange("profile", "kitchen", version);
        assertThat(answer.getJsonArray("targets")).isEqualTo(replaced.getJsonArray("targets"));
        assertThat(answer.getJsonObject("params").getMap()).containsEntry("temperature", 1.2)
                .containsEntry("top_p", null).containsEntry("max_tokens", null).containsEntry("stop", java.util.List.of());
        assertThat(new JsonObject(admin().get(PATH + "/kitchen").then().statusCode(200).extract().asString()))
                .isEqualTo(answer);
        assertThat(answer.getJsonObject("voice")).as("unset voice fields read as the services' default (empty)")
                .isEqualTo(new JsonObject().put("stt_engine", "").put("tts_engine", "espeak").put("tts_voice", "de+f3")
                        .put("language", ""));

        Profile reread = grpcProfile("kitchen");
        assertThat(chain(reread)).isEqualTo("backup/claude-sonnet-4-5 > primary/gpt-4o");
        assertThat(reread.getTargets(0).getProvider().getBaseUrl()).isEmpty();
        assertThat(reread.getParams().getTemperature()).isEqualTo(1.2);
        assertThat(reread.getParams().hasTopP()).isFalse();
        assertThat(reread.getParams().hasMaxTokens()).isFalse();
        assertThat(reread.getAllowedToolsList()).isEmpty();
        assertThat(reread.getVoice()).isEqualTo(VoiceSettings.newBuilder().setTtsEngine("espeak").setTtsVoice("de+f3").build());
        assertThat(reread.getVersion()).isEqualTo(version + 1);

        // A provider PUT reaches the profiles using it at once.
        version = probe.version();
        admin().body(new JsonObject().put("dialect", "anthropic").put("base_url", "https://claude.proxy.lan")
                .put("api_key_env", "ANTHROPIC_API_KEY").encode()).put(PROVIDERS + "/backup").then().statusCode(200);
        probe.assertOneChange("provider", "backup", version);
        assertThat(grpcProfile("kitchen").getTargets(0).getProvider().getBaseUrl()).isEqualTo("https://claude.proxy.lan");

        version = probe.version();
        admin().delete(PATH + "/kitchen").then().statusCode(204);
        probe.assertOneChange("profile", "kitchen", version);
        assertProblem(admin().get(PATH + "/kitchen"), 404, "not_found");
        assertThat(grpcFailure("kitchen")).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(pool.query("SELECT count(*) FROM profile_targets WHERE profile_name = 'kitchen'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0)).as("the chain went with it").isZero();
    }

    @Test
    void makingAProfileTheDefaultUnsetsThePreviousOneAndADefaultIsAlwaysLeft() {
        String defaultBefore = admin().get(PATH + "/default").then().statusCode(200).extract().asString();
        assertThat(grpcProfile("").getName()).isEqualTo("default");

        long version = probe.version();
        admin().body(kitchen("hallway").put("is_default", true).encode()).post(PATH).then().statusCode(201);
        probe.assertOneChange("profile", "hallway", version);
        assertThat(grpcProfile("").getName()).isEqualTo("hallway");
        assertThat(admin().get(PATH + "/default").then().extract().jsonPath().getBoolean("is_default")).isFalse();
        assertThat(admin().get(PATH).then().extract().jsonPath().getList("profiles.findAll { it.is_default }.name"))
                .containsExactly("hallway");

        // The default stays the default until another takes over: neither unset nor deleted.
        String before = probe.snapshot();
        assertThat(assertProblem(admin().body(kitchen("hallway").encode()).put(PATH + "/hallway"), 409, "conflict")
                .getString("detail")).contains("'hallway' is the default profile");
        assertThat(assertProblem(admin().delete(PATH + "/hallway"), 409, "conflict").getString("detail"))
                .contains("make another profile the default");
        probe.assertNothingWritten(before);

        // A PUT hands it back.
        version = probe.version();
        admin().body(new JsonObject(defaultBefore).put("is_default", true).encode()).put(PATH + "/default")
                .then().statusCode(200);
        probe.assertOneChange("profile", "default", version);
        assertThat(grpcProfile("").getName()).isEqualTo("default");
        assertThat(new JsonObject(admin().get(PATH + "/default").then().extract().asString()))
                .isEqualTo(new JsonObject(defaultBefore));
        admin().delete(PATH + "/hallway").then().statusCode(204);
        assertThat(probe.changes()).hasSize(1);
    }

    @Test
    void invalidProfilesAreProblemsNamingTheFieldAndWriteNothing() {
        String before = probe.snapshot();
        JsonObject valid = kitchen("fresh");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(valid.copy().put("name", "Kitchen!").encode(), "name must be 1 to 63 of a-z");
        bad.put(without(valid, "name").encode(), "name is required");
        bad.put(valid.copy().put("system_prompt", "p".repeat(32_001)).encode(), "system_prompt must be at most 32000 characters");
        bad.put(valid.copy().put("description", "d".repeat(1_001)).encode(), "description must be at most 1000 characters");
        bad.put(params(valid, "temperature", 2.01), "params.temperature must be from 0 to 2");
        bad.put(params(valid, "temperature", -0.1), "params.temperature must be from 0 to 2");
        bad.put(params(valid, "top_p", 1.5), "params.top_p must be from 0 to 1");
        bad.put(params(valid, "max_tokens", 0), "params.max_tokens must be from 1 to 1000000");
        bad.put(params(valid, "max_tokens", 1_000_001), "params.max_tokens must be from 1 to 1000000");
        bad.put(params(valid, "max_tokens", 1_000_000_000_000L), "params.max_tokens must be from 1 to 1000000");
        bad.put(params(valid, "stop", new JsonArray().add("a").add("b").add("c").add("d").add("e")),
                "params.stop may have at most 4");
        bad.put(params(valid, "stop", new JsonArray().add("")), "params.stop[0] must not be empty");
        bad.put(params(valid, "temprature", 1), "'params.temprature' is not a field of this API");
        bad.put(params(valid, "temperature", "hot"), "'params.temperature' has the wrong type");
        bad.put(without(valid, "targets").encode(), "targets is required");
        bad.put(valid.copy().put("targets", new JsonArray()).encode(), "targets is required");
        JsonArray nine = new JsonArray();
        for (int i = 0; i < 9; i++) {
            nine.add(new JsonObject().put("provider", "demo").put("model", "m" + i));
        }
        bad.put(valid.copy().put("targets", nine).encode(), "targets may have at most 8");
        bad.put(valid.copy().put("targets", new JsonArray().add(new JsonObject().put("provider", "demo"))).encode(),
                "targets[0].model is required");
        bad.put(valid.copy().put("targets", new JsonArray().add(new JsonObject().put("provider", "De Mo").put("model", "x")))
                .encode(), "targets[0].provider must be");
        bad.put(valid.copy().put("targets", new JsonArray()
                .add(new JsonObject().put("provider", "demo").put("model", "demo-1"))
                .add(new JsonObject().put("provider", "demo").put("model", "demo-1"))).encode(),
                "targets[1] repeats an earlier link");
        bad.put(valid.copy().put("targets", new JsonArray().add(new JsonObject().put("provider", "demo")
                .put("model", "demo-1").put("weight", 2))).encode(), "'targets[0].weight' is not a field of this API");
        bad.put(valid.copy().put("targets", "demo").encode(), "'targets' has the wrong type");
        bad.put(valid.copy().put("allowed_tools", new JsonArray().add("rm -rf")).encode(), "allowed_tools[0] must be a tool name or glob");
        bad.put(valid.copy().put("system_promt", "typo").encode(), "'system_promt' is not a field of this API");
        bad.put(voice(valid, "stt_engine", "Pocket Sphinx"), "voice.stt_engine must be an engine name");
        bad.put(voice(valid, "tts_engine", "e".repeat(33)), "voice.tts_engine must be an engine name");
        bad.put(voice(valid, "tts_voice", "slt; rm -rf /"), "voice.tts_voice must be a voice name");
        bad.put(voice(valid, "tts_voice", "-slt"), "voice.tts_voice must be a voice name");
        bad.put(voice(valid, "language", "english"), "voice.language must be a language tag");
        bad.put(voice(valid, "speed", 1.5), "'voice.speed' is not a field of this API");
        bad.put(valid.copy().put("voice", "slt").encode(), "'voice' has the wrong type");
        bad.put(valid.copy().put("is_default", "yes").encode(), "'is_default' has the wrong type");
        bad.put("{\"name\": \"fresh\", \"targets\": [", "not valid JSON");
        bad.put("\"fresh\"", "expected shape");
        bad.put("", "a JSON body is required");
        bad.forEach((body, expected) -> assertThat(assertProblem(admin().body(body).post(PATH), 400, "invalid_request")
                .getString("detail")).as(body.length() > 200 ? body.substring(0, 200) : body).contains(expected));

        // PUT validates the same way, and may not rename.
        assertThat(assertProblem(admin().body(valid.copy().put("system_prompt", "p".repeat(32_001)).encode())
                .put(PATH + "/demo"), 400, "invalid_request").getString("detail")).contains("system_prompt must be at most");
        assertThat(assertProblem(admin().body(valid.encode()).put(PATH + "/demo"), 400, "invalid_request")
                .getString("detail")).contains("name ('fresh') differs from the name in the path ('demo')");
        // Every problem of one body at once.
        assertThat(assertProblem(admin().body(params(valid, "top_p", 2).replace("\"fresh\"", "\"BAD\"")).post(PATH), 400,
                "invalid_request").getString("detail")).contains("name must be", "params.top_p");
        probe.assertNothingWritten(before);
    }

    @Test
    void aChainNamingAnUnknownProviderIsRefusedWhole() {
        String before = probe.snapshot();
        JsonObject withGhost = kitchen("ghostly").put("targets", new JsonArray()
                .add(new JsonObject().put("provider", "primary").put("model", "gpt-4o-mini"))
                .add(new JsonObject().put("provider", "ghost").put("model", "boo-1"))
                .add(new JsonObject().put("provider", "phantom").put("model", "boo-2")));
        Response created = admin().body(withGhost.encode()).post(PATH);
        assertThat(assertProblem(created, 422, "unknown_provider").getString("detail"))
                .contains("'ghost'", "'phantom'").doesNotContain("'primary'");
        assertThat(created.jsonPath().getString("title")).isEqualTo("Unprocessable Content");
        // Replacing the demo profile's chain with one that names a ghost leaves it as it was.
        JsonObject demo = new JsonObject(admin().get(PATH + "/demo").then().statusCode(200).extract().asString());
        assertProblem(admin().body(demo.copy().put("targets", withGhost.getJsonArray("targets")).encode())
                .put(PATH + "/demo"), 422, "unknown_provider");
        // Also when it would have become the default (which would have unset the current one first).
        assertProblem(admin().body(demo.copy().put("is_default", true).put("targets", withGhost.getJsonArray("targets"))
                .encode()).put(PATH + "/demo"), 422, "unknown_provider");
        probe.assertNothingWritten(before);
        assertThat(grpcProfile("").getName()).isEqualTo("default");
    }

    @Test
    void duplicateNamesConflictAndUnknownNamesAreNotFound() {
        String before = probe.snapshot();
        assertThat(assertProblem(admin().body(kitchen("demo").encode()).post(PATH), 409, "already_exists")
                .getString("detail")).contains("'demo' exists already");
        assertProblem(admin().get(PATH + "/nope"), 404, "not_found");
        assertThat(assertProblem(admin().body(kitchen("nope").encode()).put(PATH + "/nope"), 404, "not_found")
                .getString("detail")).contains("no profile named 'nope'");
        assertProblem(admin().delete(PATH + "/nope"), 404, "not_found");
        probe.assertNothingWritten(before);
    }

    @Test
    void everyCallNeedsAnAdminKey() {
        String before = probe.snapshot();
        String body = kitchen("sneaky").encode();
        assertProblem(given().get(PATH), 401, "unauthorized");
        assertProblem(given().get(PATH + "/demo"), 401, "unauthorized");
        assertProblem(given().contentType(ContentType.JSON).body(body).post(PATH), 401, "unauthorized");
        assertProblem(given().contentType(ContentType.JSON).body(body).put(PATH + "/demo"), 401, "unauthorized");
        assertProblem(given().delete(PATH + "/demo"), 401, "unauthorized");
        probe.assertNothingWritten(before);
    }

    private static String params(JsonObject profile, String field, Object value) {
        JsonObject copy = profile.copy();
        copy.getJsonObject("params").put(field, value);
        return copy.encode();
    }

    private static String voice(JsonObject profile, String field, Object value) {
        JsonObject copy = profile.copy();
        copy.getJsonObject("voice").put(field, value);
        return copy.encode();
    }

    private static JsonObject without(JsonObject json, String field) {
        JsonObject copy = json.copy();
        copy.remove(field);
        return copy;
    }
}
