package dev.hearth.config.rest;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.config.AdminApiClient;
import dev.hearth.config.ConfigWriteProbe;
import dev.hearth.config.UserAndDeviceTables;
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
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The users admin API over real HTTP; its effects in PostgreSQL and on Redis Pub/Sub. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiKeyAdminApiTest.WithAdminKey.class)
class UserAdminApiTest {

    static final String PATH = "/admin/v1/users";

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    private ConfigWriteProbe probe;
    private UserAndDeviceTables tables;

    @BeforeEach
    void subscribe() {
        probe = new ConfigWriteProbe(pool, redis, redisKeys);
        probe.subscribe();
        tables = new UserAndDeviceTables(pool, probe);
    }

    @AfterEach
    void unsubscribe() {
        probe.unsubscribe();
    }

    static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    @Test
    void createReadRenameDeleteEachOneAnnouncedWrite() {
        long version = probe.version();
        Response created = admin().body(new JsonObject().put("id", "alice@home").put("display_name", " Alice ").encode())
                .post(PATH);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(PATH + "/alice@home");
        JsonPath body = created.jsonPath();
        assertThat(body.getString("id")).isEqualTo("alice@home");
        assertThat(body.getString("display_name")).isEqualTo("Alice");
        assertThat(Instant.parse(body.getString("created_at"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(body.getString("updated_at")).isEqualTo(body.getString("created_at"));
        probe.assertOneChange("user", "alice@home", version);

        JsonObject read = new JsonObject(admin().get(PATH + "/alice@home").then().statusCode(200).extract().asString());
        assertThat(read).isEqualTo(new JsonObject(created.asString()));
        // The bootstrap admin key's user exists too: keys create their users.
        List<String> ids = admin().get(PATH).then().statusCode(200).extract().jsonPath().getList("users.id");
        assertThat(ids).contains("admin", "alice@home").isSorted();

        // GET, edit, PUT: the read-only times are accepted and ignored, the id may be left to the path.
        version = probe.version();
        JsonPath renamed = admin().body(read.copy().put("display_name", "Alice Liddell").encode()).put(PATH + "/alice@home")
                .then().statusCode(200).extract().jsonPath();
        assertThat(renamed.getString("display_name")).isEqualTo("Alice Liddell");
        assertThat(renamed.getString("created_at")).isEqualTo(read.getString("created_at"));
        assertThat(Instant.parse(renamed.getString("updated_at"))).isAfter(Instant.parse(read.getString("created_at")));
        probe.assertOneChange("user", "alice@home", version);

        // Without a display name a user is called by the id.
        version = probe.version();
        assertThat(admin().body("{}").put(PATH + "/alice@home").then().statusCode(200).extract().jsonPath()
                .getString("display_name")).isEqualTo("alice@home");
        probe.assertOneChange("user", "alice@home", version);

        version = probe.version();
        admin().delete(PATH + "/alice@home").then().statusCode(204);
        probe.assertOneChange("user", "alice@home", version);
        assertProblem(admin().get(PATH + "/alice@home"), 404, "not_found");
    }

    @Test
    void aKeyForANewUserIdCreatesTheUserInTheKeysOneWrite() {
        long version = probe.version();
        String keyId = AdminApiClient.create("living room", "newcomer", "chat").getString("id");
        // One write: the key's, which announces it; the user came with it, named by its id.
        probe.assertOneChange("api_key", keyId, version);
        JsonPath user = admin().get(PATH + "/newcomer").then().statusCode(200).extract().jsonPath();
        assertThat(user.getString("display_name")).isEqualTo("newcomer");

        // A second key for a named user leaves the user as it is.
        admin().body(new JsonObject().put("display_name", "New Comer").encode()).put(PATH + "/newcomer").then().statusCode(200);
        AdminApiClient.create("kitchen", "newcomer", "chat");
        assertThat(admin().get(PATH + "/newcomer").then().statusCode(200).extract().jsonPath().getString("display_name"))
                .isEqualTo("New Comer");
        assertThat(probe.changes()).extracting(c -> c.getString("kind")).containsExactly("user", "api_key");
    }

    @Test
    void aUserWithAUsableKeyOrAConversationIsInUseAndDeadKeysGoWithTheUser() {
        String usable = AdminApiClient.create("phone", "gina", "chat").getString("id");
        String revoked = AdminApiClient.create("old phone", "gina", "chat").getString("id");
        admin().delete("/admin/v1/api-keys/" + revoked).then().statusCode(204);
        String expired = AdminApiClient.create("guest pass", "gina", "chat").getString("id");
        pool.preparedQuery("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1")
                .execute(Tuple.of(expired)).await().atMost(Duration.ofSeconds(10));
        admin().body(new JsonObject().put("id", "ivy").encode()).post(PATH).then().statusCode(201);
        pool.query("INSERT INTO conversations (id, user_id) VALUES ('c-ivy', 'ivy')").execute()
                .await().atMost(Duration.ofSeconds(10));
        probe.changes();

        String before = tables.snapshot();
        assertThat(assertProblem(admin().delete(PATH + "/gina"), 409, "in_use").getString("detail"))
                .contains("'gina'", "1 usable API key", "DELETE /admin/v1/api-keys/");
        assertThat(assertProblem(admin().delete(PATH + "/ivy"), 409, "in_use").getString("detail"))
                .contains("'ivy'", "1 conversation");
        tables.assertNothingWritten(before);

        // Once no key of hers is usable, she can go, and her dead keys with her.
        admin().delete("/admin/v1/api-keys/" + usable).then().statusCode(204);
        long version = probe.version();
        probe.changes();
        admin().delete(PATH + "/gina").then().statusCode(204);
        probe.assertOneChange("user", "gina", version);
        assertThat(count("SELECT count(*) FROM api_keys WHERE user_id = $1", "gina")).isZero();
        assertProblem(admin().get("/admin/v1/api-keys/" + revoked), 404, "not_found");
        assertThat(count("SELECT count(*) FROM users WHERE id = $1", "ivy")).isEqualTo(1);
    }

    @Test
    void invalidUsersAreProblemsNamingTheFieldAndWriteNothing() {
        admin().body(new JsonObject().put("id", "bob").encode()).post(PATH).then().statusCode(201);
        probe.changes();
        String before = tables.snapshot();
        JsonObject valid = new JsonObject().put("id", "fresh").put("display_name", "Fresh");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(new JsonObject().put("display_name", "No Id").encode(), "id is required");
        bad.put(valid.copy().put("id", "").encode(), "id is required");
        bad.put(valid.copy().put("id", "has space").encode(), "id must be 1 to 128 of");
        bad.put(valid.copy().put("id", "u".repeat(129)).encode(), "id must be 1 to 128 of");
        bad.put(valid.copy().put("id", "ünïcode").encode(), "id must be 1 to 128 of");
        bad.put(valid.copy().put("display_name", "  ").encode(), "display_name must not be blank");
        bad.put(valid.copy().put("display_name", "x".repeat(129)).encode(), "display_name must be at most 128 characters");
        bad.put(valid.copy().put("display_name", "two\nlines").encode(), "display_name must not contain control characters");
        bad.put(valid.copy().put("displayName", "Fresh").encode(), "'displayName' is not a field of this API");
        bad.put(valid.copy().put("display_name", new JsonObject()).encode(), "'display_name' has the wrong type");
        bad.put("{\"id\": \"x\", ", "not valid JSON");
        bad.put("[]", "expected shape");
        bad.put("", "a JSON body is required");
        bad.forEach((body, expected) -> assertThat(assertProblem(admin().body(body).post(PATH), 400, "invalid_request")
                .getString("detail")).as(body).contains(expected));

        // PUT validates the same way, and cannot change the id.
        assertThat(assertProblem(admin().body(valid.encode()).put(PATH + "/bob"), 400, "invalid_request")
                .getString("detail")).contains("id ('fresh') differs from the id in the path ('bob')");
        assertThat(assertProblem(admin().body("{\"display_name\": \"\\u0007\"}").put(PATH + "/bob"), 400,
                "invalid_request").getString("detail")).contains("display_name must not contain control characters");
        assertThat(assertProblem(admin().body("{\"nick\": 1}").put(PATH + "/bob"), 400, "invalid_request")
                .getString("detail")).contains("'nick' is not a field");
        // Every problem of one body at once.
        assertThat(assertProblem(admin().body("{\"id\": \"a b\", \"display_name\": \" \", \"x\": 1}").post(PATH), 400,
                "invalid_request").getString("detail")).contains("id must be", "display_name must not be blank", "'x'");
        tables.assertNothingWritten(before);
    }

    @Test
    void aTakenIdConflictsAndUnknownIdsAreNotFound() {
        String before = tables.snapshot();
        assertThat(assertProblem(admin().body("{\"id\": \"admin\", \"display_name\": \"Imposter\"}").post(PATH), 409,
                "already_exists").getString("detail")).contains("'admin' exists already", "PUT /admin/v1/users/admin");
        assertProblem(admin().get(PATH + "/nobody"), 404, "not_found");
        assertThat(assertProblem(admin().body("{\"display_name\": \"X\"}").put(PATH + "/nobody"), 404, "not_found")
                .getString("detail")).contains("no user 'nobody'");
        assertProblem(admin().delete(PATH + "/nobody"), 404, "not_found");
        tables.assertNothingWritten(before);
    }

    @Test
    void everyCallNeedsAnAdminKey() {
        String chatOnly = AdminApiClient.create("chat only", "kid", "chat").getString("key");
        probe.changes();
        String before = tables.snapshot();
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            String path = method.equals("POST") ? PATH : PATH + "/kid";
            assertProblem(given().contentType(ContentType.JSON).body("{\"id\": \"z\"}").request(method, path), 401,
                    "unauthorized");
            assertProblem(as(chatOnly).contentType(ContentType.JSON).body("{\"id\": \"z\"}").request(method, path), 403,
                    "forbidden");
        }
        tables.assertNothingWritten(before);
    }
}
