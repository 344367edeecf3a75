package dev.hearth.config.service;

import static dev.hearth.config.AdminApiClient.PATH;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.AdminApiClient;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.config.repository.ApiKeyRepository.Bootstrap;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import dev.hearth.proto.v1.MutinyAuthServiceGrpc;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No bootstrap key configured: the first start generates an admin key and logs it once at WARN
 * (read back from the service's real log file); later starts generate nothing while an admin key
 * is usable, and exactly one again - even when several start at once - when none is.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(GeneratedBootstrapKeyTest.NoBootstrapKey.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedBootstrapKeyTest {

    static final Pattern SHOWN_ONCE = Pattern.compile("Bootstrap admin API key \\(shown once, store it\\): (\\S+)");

    public static class NoBootstrapKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.auth.bootstrap-key", "",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", Path.of("target", "generated-bootstrap-" + UUID.randomUUID() + ".log")
                            .toAbsolutePath().toString(),
                    "OPENAI_API_KEY", "", "OPENROUTER_API_KEY", "", "ANTHROPIC_API_KEY", "", "GEMINI_API_KEY", "",
                    "hearth.seed.ollama-url", "http://127.0.0.1:1");
        }
    }

    @GrpcClient("self")
    MutinyAuthServiceGrpc.MutinyAuthServiceStub auth;

    @Inject
    BootstrapKeySeeder seeder;

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    private static <T> T join(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    /** Every line of this application's log that shows a generated key. */
    private static List<String> shownKeyLines() throws Exception {
        Path log = Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
        return Files.readAllLines(log).stream().filter(line -> SHOWN_ONCE.matcher(line).find()).toList();
    }

    private static String keyOf(String line) {
        Matcher matcher = SHOWN_ONCE.matcher(line);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private ApiKeyPrincipal verify(String key) {
        return join(auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build()));
    }

    private long count(String sql, Object... params) {
        return join(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
    }

    private List<Bootstrap> restartConcurrently(int instances) {
        List<Uni<Bootstrap>> starts = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            starts.add(seeder.ensureAdminKey(Optional.empty()));
        }
        return join(Uni.join().all(starts).andFailFast());
    }

    @Test
    @Order(1)
    void theFirstStartGeneratesAnAdminKeyLogsItOnceAndStoresOnlyItsHash() throws Exception {
        List<String> lines = shownKeyLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("WARN");
        String key = keyOf(lines.get(0));
        assertThat(key).matches("hk_[A-Za-z0-9_-]{43}");

        ApiKeyPrincipal principal = verify(key);
        assertThat(principal.getName()).isEqualTo("bootstrap");
        assertThat(principal.getUserId()).isEqualTo("admin");
        assertThat(principal.getScopesList()).containsExactlyInAnyOrder("admin", "chat");
        assertThat(lines.get(0)).contains(principal.getKeyId());

        assertThat(count("SELECT count(*) FROM api_keys")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM api_keys t WHERE strpos(t::text, $1) > 0", key)).isZero();
        assertThat(count("SELECT count(*) FROM api_keys WHERE key_hash = $1", AdminApiClient.sha256(key))).isEqualTo(1);
        as(key).get(PATH).then().statusCode(200);
    }

    @Test
    @Order(2)
    void restartsWhileAnAdminKeyIsUsableGenerateNothing() throws Exception {
        List<Bootstrap> results = restartConcurrently(3);

        assertThat(results).allSatisfy(r -> {
            assertThat(r.storedGenerated()).isEmpty();
            assertThat(r.storedConfigured()).isEmpty();
        });
        assertThat(count("SELECT count(*) FROM api_keys")).isEqualTo(1);
        assertThat(shownKeyLines()).hasSize(1);
    }

    @Test
    @Order(3)
    void theLastUsableAdminKeyCannotBeRevoked() throws Exception {
        String bootstrap = keyOf(shownKeyLines().get(0));
        String bootstrapId = verify(bootstrap).getKeyId();

        assertThat(assertProblem(as(bootstrap).delete(PATH + "/" + bootstrapId), 409, "conflict").getString("detail"))
                .contains("last usable admin key");
        verify(bootstrap);

        JsonObject created = new JsonObject(as(bootstrap).contentType(ContentType.JSON)
                .body("{\"name\":\"my admin\",\"user_id\":\"me\",\"scopes\":[\"admin\"]}")
                .post(PATH).then().statusCode(201).extract().asString());
        String mine = created.getString("key");
        as(mine).delete(PATH + "/" + bootstrapId).then().statusCode(204);
        assertProblem(as(mine).delete(PATH + "/" + created.getString("id")), 409, "conflict");
        verify(mine);
    }

    @Test
    @Order(4)
    void anInstanceStartingWhileAnotherStoresAnAdminKeyWaitsForItAndStoresNone() throws Exception {
        // The only usable admin key ("my admin" above) expires.
        assertThat(count("""
                WITH expired AS (UPDATE api_keys SET expires_at = now() - interval '1 second'
                                  WHERE revoked_at IS NULL AND 'admin' = ANY (scopes) RETURNING 1)
                SELECT count(*) FROM expired""")).isEqualTo(1);
        // Another instance is in the middle of its bootstrap: it holds the lock and has stored its key.
        SqlConnection other = join(pool.getConnection());
        CompletableFuture<Bootstrap> starting;
        try {
            Transaction otherTx = join(other.begin());
            join(other.query("LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE").execute());
            join(other.preparedQuery("""
                            INSERT INTO api_keys (id, name, user_id, key_hash, prefix, scopes)
                            VALUES ('k_0therInstanc', 'bootstrap', 'admin', $1, 'hk_other', ARRAY['admin', 'chat'])""")
                    .execute(Tuple.of(AdminApiClient.sha256("hk_other-instance's key"))));

            starting = seeder.ensureAdminKey(Optional.empty()).subscribeAsCompletionStage();
            // This one must wait for the other's transaction rather than count admin keys without it...
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !starting.isDone());
            join(otherTx.commit());
        } finally {
            join(other.close());
        }
        // ...and then find the other's key usable, and store nothing.
        Bootstrap result = starting.get(30, TimeUnit.SECONDS);
        assertThat(result.storedGenerated()).isEmpty();
        assertThat(shownKeyLines()).hasSize(1);
    }

    @Test
    @Order(5)
    void withNoUsableAdminKeyLeftARestartGeneratesExactlyOneEvenWhenInstancesStartTogether() throws Exception {
        join(pool.query("UPDATE api_keys SET revoked_at = now() WHERE id = 'k_0therInstanc'").execute());
        List<String> events = new CopyOnWriteArrayList<>();
        var subscriber = join(redis.pubsub(String.class).subscribe(redisKeys.configChangesChannel(), events::add));
        try {
            List<Bootstrap> results = restartConcurrently(4);

            List<Bootstrap> generating = results.stream().filter(r -> r.storedGenerated().isPresent()).toList();
            assertThat(generating).hasSize(1);
            String id = generating.get(0).storedGenerated().get().key().id();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().map(JsonObject::new)
                    .anyMatch(e -> "api_key".equals(e.getString("kind")) && id.equals(e.getString("id"))));
            List<String> lines = shownKeyLines();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).contains(id);
            assertThat(verify(keyOf(lines.get(1))).getKeyId()).isEqualTo(id);
            assertThat(count("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL AND 'admin' = ANY (scopes)"
                    + " AND (expires_at IS NULL OR expires_at > now())")).isEqualTo(1);
        } finally {
            join(subscriber.unsubscribe());
        }
    }
}
