package dev.hearth.config.grpc;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.PATH;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.AdminApiClient;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import dev.hearth.proto.v1.MutinyAuthServiceGrpc;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AuthService.VerifyApiKey over real gRPC: who a key belongs to, and UNAUTHENTICATED saying why not. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(AuthGrpcServiceTest.WithAdminKey.class)
class AuthGrpcServiceTest {

    public static class WithAdminKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return AdminApiClient.withConfiguredAdminKey();
        }
    }

    @GrpcClient("self")
    MutinyAuthServiceGrpc.MutinyAuthServiceStub auth;

    private ApiKeyPrincipal verify(String key) {
        return auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build()).await().atMost(Duration.ofSeconds(10));
    }

    private Status refusal(String key) {
        Throwable failure = auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(10));
        assertThat(failure).as("refused").isNotNull();
        return Status.fromThrowable(failure);
    }

    private boolean isRefused(String key) {
        return auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build())
                .onItemOrFailure().transform((ok, f) -> f != null).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aValidKeyNamesItsUserScopesLimitsAndExpiry() {
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        JsonPath created = create(new JsonObject().put("name", "living room").put("user_id", "alice")
                .put("scopes", new JsonArray().add("chat").add("admin"))
                .put("limits", new JsonObject().put("messages_per_minute", 60).put("max_concurrent_streams", 4)
                        .put("max_connections", 8))
                .put("expires_at", expires.toString()));

        ApiKeyPrincipal principal = verify(created.getString("key"));

        assertThat(principal.getKeyId()).isEqualTo(created.getString("id"));
        assertThat(principal.getUserId()).isEqualTo("alice");
        assertThat(principal.getName()).isEqualTo("living room");
        assertThat(principal.getScopesList()).containsExactly("chat", "admin");
        assertThat(principal.getLimits().getMessagesPerMinute()).isEqualTo(60);
        assertThat(principal.getLimits().getMaxConcurrentStreams()).isEqualTo(4);
        assertThat(principal.getLimits().getMaxConnections()).isEqualTo(8);
        assertThat(principal.getExpiresAtMs()).isEqualTo(expires.toEpochMilli());
        assertThat(principal.toString()).doesNotContain(created.getString("key"));
    }

    @Test
    void aKeyWithoutExpiryOrLimitsSaysZero() {
        JsonPath created = create("forever", "bob", "chat");
        ApiKeyPrincipal principal = verify(created.getString("key"));
        assertThat(principal.getExpiresAtMs()).isZero();
        assertThat(principal.getLimits().getMessagesPerMinute()).isZero();
        assertThat(principal.getLimits().getMaxConnections()).isZero();
    }

    @Test
    void theConfiguredBootstrapKeyIsAnAdminAndChatKey() {
        ApiKeyPrincipal principal = verify(CONFIGURED_ADMIN_KEY);
        assertThat(principal.getName()).isEqualTo("bootstrap");
        assertThat(principal.getUserId()).isEqualTo("admin");
        assertThat(principal.getScopesList()).containsExactlyInAnyOrder("admin", "chat");
    }

    @Test
    void unknownEmptyAndAlmostRightKeysAreUnauthenticated() {
        String key = create("real", "carol", "chat").getString("key");
        String almost = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

        for (String wrong : new String[] { almost, "hk_" + "x".repeat(43), key + " ", "Bearer " + key, "x".repeat(10_000) }) {
            Status status = refusal(wrong);
            assertThat(status.getCode()).as(wrong).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).as(wrong).isEqualTo("unknown API key");
        }
        Status empty = refusal("");
        assertThat(empty.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(empty.getDescription()).isEqualTo("no API key was presented");
        // ...and the real one still works.
        assertThat(verify(key).getUserId()).isEqualTo("carol");
    }

    @Test
    void aRevokedKeyIsUnauthenticated() {
        JsonPath created = create("to revoke", "dave", "chat");
        verify(created.getString("key"));
        as(CONFIGURED_ADMIN_KEY).delete(PATH + "/" + created.getString("id")).then().statusCode(204);

        Status status = refusal(created.getString("key"));
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains(created.getString("id")).contains("revoked");
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() {
        // Long enough that a loaded machine still verifies the key before it expires.
        Instant expires = Instant.now().plusSeconds(8);
        JsonPath created = create(new JsonObject().put("name", "short-lived").put("user_id", "erin")
                .put("scopes", new JsonArray().add("chat")).put("expires_at", expires.toString()));
        String key = created.getString("key");
        assertThat(verify(key).getUserId()).isEqualTo("erin");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> isRefused(key));
        assertThat(Instant.now()).isAfterOrEqualTo(expires);
        assertThat(refusal(key).getDescription()).contains(created.getString("id")).contains("expired");
        assertThat(as(CONFIGURED_ADMIN_KEY).get(PATH + "/" + created.getString("id")).jsonPath().getString("status"))
                .isEqualTo("expired");
    }

    @Test
    void verificationRecordsWhenAKeyWasLastUsed() {
        JsonPath created = create("used", "frank", "chat");
        String path = PATH + "/" + created.getString("id");
        assertThat(as(CONFIGURED_ADMIN_KEY).get(path).jsonPath().getString("last_used_at")).isNull();
        verify(created.getString("key"));
        Instant used = Instant.parse(as(CONFIGURED_ADMIN_KEY).get(path).jsonPath().getString("last_used_at"));
        assertThat(used).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        // At most once a minute: a second verification right away writes nothing.
        verify(created.getString("key"));
        assertThat(Instant.parse(as(CONFIGURED_ADMIN_KEY).get(path).jsonPath().getString("last_used_at"))).isEqualTo(used);
    }
}
