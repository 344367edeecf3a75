package dev.hearth.config.rest;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.PATH;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static dev.hearth.config.AdminApiClient.create;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.AdminApiClient;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import dev.hearth.proto.v1.GetConfigVersionRequest;
import dev.hearth.proto.v1.MutinyAuthServiceGrpc;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP, its effects over real gRPC, PostgreSQL and Redis Pub/Sub. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiKeyAdminApiTest.WithAdminKey.class)
class ApiKeyAdminApiTest {

    public static class WithAdminKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return AdminApiClient.withConfiguredAdminKey();
        }
    }

    @GrpcClient("self")
    MutinyAuthServiceGrpc.MutinyAuthServiceStub auth;

    @GrpcClient("self")
    MutinyConfigServiceGrpc.MutinyConfigServiceStub config;

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private ReactiveRedisSubscriber subscriber;

    @BeforeEach
    void subscribeToConfigChanges() {
        // Completes once Redis confirmed the subscription: nothing published afterwards is missed.
        subscriber = join(redis.pubsub(String.class)
                .subscribe(redisKeys.configChangesChannel(), message -> events.add(new JsonObject(message))));
    }

    @AfterEach
    void unsubscribe() {
        join(subscriber.unsubscribe());
    }

    private static <T> T join(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    private long configVersion() {
        return join(config.getConfigVersion(GetConfigVersionRequest.getDefaultInstance())).getVersion();
    }

    private JsonObject awaitEvent(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> id.equals(e.getString("id"))));
        List<JsonObject> forKey = events.stream().filter(e -> id.equals(e.getString("id"))).toList();
        assertThat(forKey).hasSize(1);
        events.removeAll(forKey);
        return forKey.get(0);
    }

    private long rowsContaining(String text) {
        // The whole row as text: no column may hold the secret, in any form that contains it.
        return join(pool.preparedQuery("SELECT count(*) FROM api_keys t WHERE strpos(t::text, $1) > 0")
                .execute(Tuple.of(text))).iterator().next().getLong(0);
    }

    private long keyCount() {
        return join(pool.query("SELECT count(*) FROM api_keys").execute()).iterator().next().getLong(0);
    }

    @Test
    void createVerifyListRevokeAndEachWriteIsAnnounced() throws Exception {
        Instant expires = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Response response = as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON).body(new JsonObject()
                        .put("name", "kitchen tablet").put("user_id", "alice@home")
                        .put("scopes", new JsonArray().add("chat"))
                        .put("limits", new JsonObject().put("messages_per_minute", 30)
                                .put("max_concurrent_streams", 2).put("max_connections", 3))
                        .put("expires_at", expires.atOffset(java.time.ZoneOffset.ofHours(2)).toString()).encode())
                .post(PATH);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
        JsonPath created = response.jsonPath();
        String id = created.getString("id");
        String key = created.getString("key");
        assertThat(id).matches("k_[A-Za-z0-9]{12}");
        assertThat(key).matches("hk_[A-Za-z0-9_-]{43}");
        assertThat(response.header("Location")).endsWith(PATH + "/" + id);
        assertThat(created.getString("prefix")).isEqualTo(key.substring(0, 10));
        assertThat(created.getString("name")).isEqualTo("kitchen tablet");
        assertThat(created.getString("user_id")).isEqualTo("alice@home");
        assertThat(created.getList("scopes")).containsExactly("chat");
        assertThat(created.getInt("limits.messages_per_minute")).isEqualTo(30);
        assertThat(created.getInt("limits.max_concurrent_streams")).isEqualTo(2);
        assertThat(created.getInt("limits.max_connections")).isEqualTo(3);
        assertThat(Instant.parse(created.getString("expires_at"))).isEqualTo(expires);
        assertThat(Instant.parse(created.getString("created_at"))).isBetween(Instant.now().minusSeconds(60), Instant.now());

        // The create bumped the config version and said so on Redis.
        JsonObject createdEvent = awaitEvent(id);
        assertThat(createdEvent.getString("kind")).isEqualTo("api_key");
        assertThat(createdEvent.getLong("version")).isEqualTo(configVersion());

        ApiKeyPrincipal principal = join(auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build()));
        assertThat(principal.getKeyId()).isEqualTo(id);
        assertThat(principal.getUserId()).isEqualTo("alice@home");
        assertThat(principal.getScopesList()).containsExactly("chat");
        assertThat(principal.getLimits().getMessagesPerMinute()).isEqualTo(30);
        assertThat(principal.getExpiresAtMs()).isEqualTo(expires.toEpochMilli());

        // Listed and readable, never with the secret or its hash; the database holds only the hash.
        String hash = AdminApiClient.sha256(key);
        String list = as(CONFIGURED_ADMIN_KEY).get(PATH).then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();
        assertThat(list).doesNotContain(key).doesNotContain(hash).doesNotContain("key_hash");
        Map<String, Object> listed = JsonPath.from(list).<Map<String, Object>>getList("api_keys").stream()
                .filter(k -> id.equals(k.get("id"))).findFirst().orElseThrow();
        assertThat(listed).doesNotContainKeys("key", "key_hash")
                .containsEntry("prefix", key.substring(0, 10)).containsEntry("status", "active")
                .containsEntry("user_id", "alice@home").containsEntry("revoked_at", null);
        assertThat(JsonPath.from(list).getList("api_keys.id")).contains(id);
        JsonPath one = as(CONFIGURED_ADMIN_KEY).get(PATH + "/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(one.getString("name")).isEqualTo("kitchen tablet");
        assertThat(one.getString("status")).isEqualTo("active");
        assertThat(one.getString("last_used_at")).as("set by the verification above").isNotNull();
        assertThat(one.getMap("")).doesNotContainKeys("key", "key_hash");
        assertThat(rowsContaining(key)).isZero();
        assertThat(rowsContaining(key.substring(3))).isZero();
        assertThat(join(pool.preparedQuery("SELECT key_hash FROM api_keys WHERE id = $1").execute(Tuple.of(id)))
                .iterator().next().getString(0)).isEqualTo(hash);

        // Revoked: 204, announced, and the key no longer verifies.
        as(CONFIGURED_ADMIN_KEY).delete(PATH + "/" + id).then().statusCode(204);
        JsonObject revokedEvent = awaitEvent(id);
        assertThat(revokedEvent.getString("kind")).isEqualTo("api_key");
        assertThat(revokedEvent.getLong("version")).isEqualTo(createdEvent.getLong("version") + 1).isEqualTo(configVersion());
        Throwable refused = join(auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build())
                .onItemOrFailure().transform((ok, failure) -> failure));
        assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(Status.fromThrowable(refused).getDescription()).contains("revoked");

        // Idempotent: revoking again is 204 and changes nothing.
        long version = configVersion();
        as(CONFIGURED_ADMIN_KEY).delete(PATH + "/" + id).then().statusCode(204);
        assertThat(configVersion()).isEqualTo(version);
        JsonPath revoked = as(CONFIGURED_ADMIN_KEY).get(PATH + "/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(revoked.getString("status")).isEqualTo("revoked");
        assertThat(Instant.parse(revoked.getString("revoked_at"))).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void limitsAndExpiryAreOptional() {
        JsonPath created = create("voice satellite", "bob", "chat", "admin", "chat");
        assertThat(created.getList("scopes")).containsExactly("chat", "admin");
        assertThat(created.getInt("limits.messages_per_minute")).isZero();
        assertThat(created.getInt("limits.max_connections")).isZero();
        assertThat(created.getMap("")).containsEntry("expires_at", null);
        awaitEvent(created.getString("id"));
    }

    @Test
    void everyAdminCallNeedsAValidAdminKey() {
        JsonPath chatOnly = create("chat only", "carol", "chat");
        JsonPath revokedAdmin = create("revoked admin", "dave", "admin");
        as(CONFIGURED_ADMIN_KEY).delete(PATH + "/" + revokedAdmin.getString("id")).then().statusCode(204);
        long keys = keyCount();
        String body = new JsonObject().put("name", "x").put("user_id", "eve").put("scopes", new JsonArray().add("admin")).encode();
        String existing = PATH + "/" + chatOnly.getString("id");

        for (String method : List.of("GET list", "GET one", "POST", "DELETE")) {
            Response missing = call(given(), method, existing, body);
            assertProblem(missing, 401, "unauthorized");
            assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");

            assertProblem(call(given().header("Authorization", "Basic " + CONFIGURED_ADMIN_KEY), method, existing, body),
                    401, "unauthorized");
            assertProblem(call(given().header("Authorization", "Bearer "), method, existing, body), 401, "unauthorized");
            Response unknown = call(as("hk_" + "A".repeat(43)), method, existing, body);
            assertThat(assertProblem(unknown, 401, "unauthorized").getString("detail")).contains("unknown");
            assertThat(unknown.header("WWW-Authenticate")).contains("invalid_token");
            assertThat(assertProblem(call(as(revokedAdmin.getString("key")), method, existing, body), 401, "unauthorized")
                    .getString("detail")).contains("revoked");

            Response forbidden = call(as(chatOnly.getString("key")), method, existing, body);
            assertThat(assertProblem(forbidden, 403, "forbidden").getString("detail")).contains("admin scope");
            assertThat(forbidden.header("WWW-Authenticate")).contains("insufficient_scope");
        }
        // Nothing was created or revoked by any refused call.
        assertThat(keyCount()).isEqualTo(keys);
        as(CONFIGURED_ADMIN_KEY).get(existing).then().statusCode(200);
        assertThat(as(CONFIGURED_ADMIN_KEY).get(existing).jsonPath().getString("status")).isEqualTo("active");
        // The scheme is case-insensitive.
        given().header("Authorization", "bearer " + CONFIGURED_ADMIN_KEY).get(PATH).then().statusCode(200);
    }

    private static Response call(io.restassured.specification.RequestSpecification request, String method,
            String existing, String body) {
        return switch (method) {
            case "GET list" -> request.get(PATH);
            case "GET one" -> request.get(existing);
            case "POST" -> request.contentType(ContentType.JSON).body(body).post(PATH);
            case "DELETE" -> request.delete(existing);
            default -> throw new IllegalArgumentException(method);
        };
    }

    @Test
    void invalidRequestsAreProblemsAndCreateNothing() {
        long keys = keyCount();
        JsonObject valid = new JsonObject().put("name", "ok").put("user_id", "frank").put("scopes", new JsonArray().add("chat"));
        Map<String, String> badBodies = new java.util.LinkedHashMap<>();
        badBodies.put(valid.copy().putNull("name").encode(), "name is required");
        badBodies.put(valid.copy().put("name", "  ").encode(), "name is required");
        badBodies.put(valid.copy().put("name", "n".repeat(101)).encode(), "name must be at most 100");
        badBodies.put(valid.copy().put("name", "line\nbreak").encode(), "control characters");
        JsonObject noUser = valid.copy();
        noUser.remove("user_id");
        badBodies.put(noUser.encode(), "user_id is required");
        badBodies.put(valid.copy().put("user_id", "").encode(), "user_id is required");
        badBodies.put(valid.copy().put("user_id", "frank smith").encode(), "user_id must be");
        badBodies.put(valid.copy().put("user_id", "u".repeat(129)).encode(), "user_id must be");
        badBodies.put(valid.copy().put("scopes", new JsonArray()).encode(), "scopes is required");
        badBodies.put(valid.copy().putNull("scopes").encode(), "scopes is required");
        badBodies.put(valid.copy().put("scopes", new JsonArray().add("chat").add("root")).encode(), "scopes may only");
        badBodies.put(valid.copy().put("limits", new JsonObject().put("messages_per_minute", -1)).encode(),
                "limits.messages_per_minute must be");
        badBodies.put(valid.copy().put("limits", new JsonObject().put("max_connections", -5)).encode(),
                "limits.max_connections must be");
        badBodies.put(valid.copy().put("expires_at", "tomorrow").encode(), "RFC 3339");
        badBodies.put(valid.copy().put("expires_at", "2030-01-01T00:00:00").encode(), "RFC 3339");
        badBodies.put(valid.copy().put("expires_at", Instant.now().minusSeconds(60).toString()).encode(), "in the future");
        badBodies.put(valid.copy().put("scopes", "chat").encode(), "'scopes' has the wrong type");
        badBodies.put(valid.copy().put("limits", new JsonObject().put("max_connections", "many")).encode(),
                "'limits.max_connections' has the wrong type");
        badBodies.put("{\"name\": ", "not valid JSON");
        badBodies.put("[1, 2]", "expected shape");
        badBodies.put("", "a JSON body is required");

        badBodies.forEach((body, expected) -> {
            Response response = as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON).body(body).post(PATH);
            assertThat(assertProblem(response, 400, "invalid_request").getString("detail")).as(body).contains(expected);
        });
        // Every problem of one request is named at once.
        Response many = as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON)
                .body(new JsonObject().put("user_id", "a b").put("scopes", new JsonArray().add("x")).encode()).post(PATH);
        assertThat(assertProblem(many, 400, "invalid_request").getString("detail"))
                .contains("name is required", "user_id must be", "scopes may only");
        assertThat(keyCount()).isEqualTo(keys);
    }

    @Test
    void unknownKeysAndPathsAreNotFoundProblems() {
        assertProblem(as(CONFIGURED_ADMIN_KEY).get(PATH + "/k_000000000000"), 404, "not_found");
        assertProblem(as(CONFIGURED_ADMIN_KEY).delete(PATH + "/k_000000000000"), 404, "not_found");
        assertProblem(as(CONFIGURED_ADMIN_KEY).get("/admin/v1/nothing-here"), 404, "not_found");
        assertProblem(as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON).body("{}").put(PATH + "/k_000000000000"),
                405, "method_not_allowed");
        assertProblem(as(CONFIGURED_ADMIN_KEY).contentType(ContentType.TEXT).body("name=x").post(PATH),
                415, "unsupported_media_type");
    }
}
