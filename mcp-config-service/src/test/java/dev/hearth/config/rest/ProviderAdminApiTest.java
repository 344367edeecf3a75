package dev.hearth.config.rest;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.config.AdminApiClient;
import dev.hearth.config.ConfigWriteProbe;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The providers admin API over real HTTP; its effects in PostgreSQL and on Redis Pub/Sub. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiKeyAdminApiTest.WithAdminKey.class)
class ProviderAdminApiTest {

    static final String PATH = "/admin/v1/providers";

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    private ConfigWriteProbe probe;

    @BeforeEach
    void subscribe() {
        probe = new ConfigWriteProbe(pool, redis, redisKeys);
        probe.subscribe();
    }

    @AfterEach
    void unsubscribe() {
        probe.unsubscribe();
    }

    static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    static JsonObject claude() {
        return new JsonObject().put("name", "claude").put("dialect", "anthropic").put("base_url", "")
                .put("api_key_env", "ANTHROPIC_API_KEY")
                .put("models", new JsonArray().add("claude-haiku-4-5").add("claude-sonnet-4-5"))
                .put("options", new JsonObject().put("anthropic_version", "2023-06-01"));
    }

    @Test
    void createReadReplaceDeleteEachOneAnnouncedWrite() {
        long version = probe.version();
        Response created = admin().body(claude().encode()).post(PATH);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(PATH + "/claude");
        assertThat(new JsonObject(created.asString())).isEqualTo(claude());
        probe.assertOneChange("provider", "claude", version);

        assertThat(new JsonObject(admin().get(PATH + "/claude").then().statusCode(200).extract().asString()))
                .isEqualTo(claude());
        JsonPath list = admin().get(PATH).then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("providers.name")).containsExactly("claude", "demo");
        assertThat(list.getString("providers[1].dialect")).isEqualTo("demo");
        assertThat(list.getString("providers[1].options.token_delay_ms")).as("seeded as a JSON number").isEqualTo("20");

        // PUT replaces the whole provider; the body may leave the name to the path.
        JsonObject replaced = claude().put("base_url", "https://anthropic.proxy.lan:8443")
                .put("models", new JsonArray().add("claude-opus-4-5")).put("options", new JsonObject());
        replaced.remove("name");
        version = probe.version();
        JsonObject answer = new JsonObject(admin().body(replaced.encode()).put(PATH + "/claude")
                .then().statusCode(200).extract().asString());
        assertThat(answer).isEqualTo(replaced.copy().put("name", "claude"));
        probe.assertOneChange("provider", "claude", version);
        assertThat(new JsonObject(admin().get(PATH + "/claude").then().statusCode(200).extract().asString()))
                .isEqualTo(answer);

        version = probe.version();
        admin().delete(PATH + "/claude").then().statusCode(204);
        probe.assertOneChange("provider", "claude", version);
        assertProblem(admin().get(PATH + "/claude"), 404, "not_found");
    }

    @Test
    void optionalFieldsDefaultToEmptyAndLocalDialectsNeedNoUrl() {
        JsonObject ollama = new JsonObject().put("name", "ollama.lan").put("dialect", "ollama");
        JsonPath created = admin().body(ollama.encode()).post(PATH).then().statusCode(201).extract().jsonPath();
        assertThat(created.getString("base_url")).isEmpty();
        assertThat(created.getString("api_key_env")).isEmpty();
        assertThat(created.getList("models")).isEmpty();
        assertThat(created.getMap("options")).isEmpty();
        admin().delete(PATH + "/ollama.lan").then().statusCode(204);
        assertThat(probe.changes()).hasSize(2);
    }

    @Test
    void invalidProvidersAreProblemsNamingTheFieldAndWriteNothing() {
        String before = probe.snapshot();
        JsonObject valid = claude().put("name", "fresh");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(valid.copy().put("name", "Has Spaces").encode(), "name must be 1 to 63 of a-z");
        bad.put(without(valid, "name").encode(), "name is required");
        bad.put(valid.copy().put("dialect", "cohere").encode(), "dialect must be one of openai, anthropic, gemini, ollama, demo");
        bad.put(without(valid, "dialect").encode(), "dialect is required");
        bad.put(valid.copy().put("dialect", "openai").put("base_url", "").encode(), "base_url is required for dialect openai");
        bad.put(valid.copy().put("base_url", "ftp://files.lan/v1").encode(), "base_url must be an absolute http:// or https://");
        bad.put(valid.copy().put("base_url", "api.anthropic.com").encode(), "base_url must be an absolute http:// or https://");
        bad.put(valid.copy().put("base_url", "https://user:pw@api.lan/v1").encode(), "base_url must not have user info");
        bad.put(valid.copy().put("base_url", "https://api.lan/v1?key=abc").encode(), "base_url must not have user info, a query");
        bad.put(valid.copy().put("base_url", "http://bad host/").encode(), "base_url is not a URL");
        bad.put(valid.copy().put("api_key_env", "anthropic_key").encode(), "api_key_env must be an environment variable name");
        bad.put(valid.copy().put("api_key_env", "1KEY").encode(), "api_key_env must be an environment variable name");
        bad.put(valid.copy().put("models", new JsonArray().add("a").add(" ")).encode(), "models[1] is required");
        bad.put(valid.copy().put("models", new JsonArray().add("a").add("a")).encode(), "models[1] repeats 'a'");
        bad.put(valid.copy().put("options", new JsonObject().put("bad key", "x")).encode(), "options keys must be");
        bad.put(valid.copy().put("options", new JsonObject().putNull("timeout")).encode(), "options.timeout must be a string");
        bad.put(valid.copy().put("apiKey", "x").encode(), "'apiKey' is not a field of this API");
        bad.put(valid.copy().put("models", "claude").encode(), "'models' has the wrong type");
        bad.put(valid.copy().put("options", new JsonArray().add("x")).encode(), "'options' has the wrong type");
        bad.put("{\"name\": \"x\", ", "not valid JSON");
        bad.put("[]", "expected shape");
        bad.put("", "a JSON body is required");
        bad.forEach((body, expected) -> assertThat(assertProblem(admin().body(body).post(PATH), 400, "invalid_request")
                .getString("detail")).as(body).contains(expected));

        // PUT validates the same way, and the body may not rename.
        assertThat(assertProblem(admin().body(valid.copy().put("dialect", "x").encode()).put(PATH + "/demo"), 400,
                "invalid_request").getString("detail")).contains("dialect must be one of");
        assertThat(assertProblem(admin().body(valid.encode()).put(PATH + "/demo"), 400, "invalid_request")
                .getString("detail")).contains("name ('fresh') differs from the name in the path ('demo')");

        // Every problem of one body at once.
        assertThat(assertProblem(admin().body(new JsonObject().put("name", "A").put("base_url", "x").encode()).post(PATH),
                400, "invalid_request").getString("detail"))
                .contains("name must be", "dialect is required", "base_url must be");
        probe.assertNothingWritten(before);
    }

    @Test
    void aKeyInsteadOfItsVariableNameIsRefusedWithoutRepeatingIt() {
        String before = probe.snapshot();
        for (String key : List.of("sk-proj-AbCdEf0123456789xyzXYZ", "sk-ant-api03-AbCdEf0123", "AIzaSyA1b2C3d4E5f6G7h8",
                "gsk_0123abcdEFGH", "aB3dE6gH9jK2mN5pQ8sT1vW4")) {
            Response response = admin().body(claude().put("name", "leaky").put("api_key_env", key).encode()).post(PATH);
            String detail = assertProblem(response, 400, "invalid_request").getString("detail");
            assertThat(detail).contains("api_key_env must be the NAME of the environment variable", "not the key itself");
            assertThat(response.asString()).as("the key is not echoed").doesNotContain(key);
        }
        probe.assertNothingWritten(before);
    }

    @Test
    void duplicateNamesConflict() {
        String before = probe.snapshot();
        Response duplicate = admin().body(claude().put("name", "demo").encode()).post(PATH);
        assertThat(assertProblem(duplicate, 409, "already_exists").getString("detail"))
                .contains("'demo' exists already", "PUT /admin/v1/providers/demo");
        probe.assertNothingWritten(before);
    }

    @Test
    void aProviderAProfileUsesCannotBeDeleted() {
        String before = probe.snapshot();
        // Both seeded profiles run on the demo provider.
        assertThat(assertProblem(admin().delete(PATH + "/demo"), 409, "in_use").getString("detail"))
                .contains("'default'", "'demo'");
        probe.assertNothingWritten(before);
    }

    @Test
    void unknownNamesAreNotFound() {
        String before = probe.snapshot();
        assertProblem(admin().get(PATH + "/nope"), 404, "not_found");
        assertThat(assertProblem(admin().body(claude().put("name", "nope").encode()).put(PATH + "/nope"), 404,
                "not_found").getString("detail")).contains("no provider named 'nope'");
        assertProblem(admin().delete(PATH + "/nope"), 404, "not_found");
        probe.assertNothingWritten(before);
    }

    @Test
    void everyCallNeedsAnAdminKey() {
        String chatKey = AdminApiClient.create("provider reader", "eve", "chat").getString("key");
        assertThat(probe.changes()).hasSize(1);
        String before = probe.snapshot();
        String body = claude().put("name", "sneaky").encode();
        Map<Supplier<RequestSpecification>, Integer> callers = Map.of(
                () -> given(), 401,
                () -> as("hk_" + "A".repeat(43)), 401,
                () -> as(chatKey), 403);
        callers.forEach((caller, status) -> {
            String code = status == 401 ? "unauthorized" : "forbidden";
            assertProblem(caller.get().get(PATH), status, code);
            assertProblem(caller.get().get(PATH + "/demo"), status, code);
            assertProblem(caller.get().contentType(ContentType.JSON).body(body).post(PATH), status, code);
            assertProblem(caller.get().contentType(ContentType.JSON).body(body).put(PATH + "/demo"), status, code);
            assertProblem(caller.get().delete(PATH + "/demo"), status, code);
        });
        probe.assertNothingWritten(before);
    }

    private static JsonObject without(JsonObject json, String field) {
        JsonObject copy = json.copy();
        copy.remove(field);
        return copy;
    }
}
