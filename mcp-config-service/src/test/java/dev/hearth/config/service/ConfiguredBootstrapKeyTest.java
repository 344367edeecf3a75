package dev.hearth.config.service;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.config.AdminApiClient;
import dev.hearth.config.repository.ApiKeyRepository.Bootstrap;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A configured bootstrap key (HEARTH_BOOTSTRAP_API_KEY, as the launcher passes it) is stored by
 * its hash the first time it is seen and is then simply there; nothing is generated or logged.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ConfiguredBootstrapKeyTest.WithBootstrapKey.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfiguredBootstrapKeyTest {

    static final String ROTATED_KEY = "hk_AnotherTestOnlyBootstrapKey_abcdefghijklmnop";

    public static class WithBootstrapKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(AdminApiClient.withConfiguredAdminKey());
            config.put("quarkus.log.file.enabled", "true");
            config.put("quarkus.log.file.path",
                    Path.of("target", "configured-bootstrap-" + UUID.randomUUID() + ".log").toAbsolutePath().toString());
            return config;
        }
    }

    @GrpcClient("self")
    MutinyAuthServiceGrpc.MutinyAuthServiceStub auth;

    @Inject
    BootstrapKeySeeder seeder;

    @Inject
    Pool pool;

    private static <T> T join(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    private static String log() throws Exception {
        return Files.readString(Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class)));
    }

    private ApiKeyPrincipal verify(String key) {
        return join(auth.verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build()));
    }

    private long count(String sql, Object... params) {
        return join(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
    }

    @Test
    @Order(1)
    void theConfiguredKeyIsStoredByItsHashAsTheBootstrapAdminAndNothingIsGenerated() throws Exception {
        ApiKeyPrincipal principal = verify(CONFIGURED_ADMIN_KEY);
        assertThat(principal.getName()).isEqualTo("bootstrap");
        assertThat(principal.getUserId()).isEqualTo("admin");
        assertThat(principal.getScopesList()).containsExactlyInAnyOrder("admin", "chat");
        assertThat(principal.getExpiresAtMs()).isZero();

        assertThat(count("SELECT count(*) FROM api_keys")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM api_keys t WHERE strpos(t::text, $1) > 0", CONFIGURED_ADMIN_KEY)).isZero();
        assertThat(count("SELECT count(*) FROM api_keys WHERE key_hash = $1", AdminApiClient.sha256(CONFIGURED_ADMIN_KEY)))
                .isEqualTo(1);
        String log = log();
        assertThat(log).contains("bootstrap admin API key from hearth.auth.bootstrap-key stored as " + principal.getKeyId());
        assertThat(log).doesNotContain("shown once").doesNotContain(CONFIGURED_ADMIN_KEY);
    }

    @Test
    @Order(2)
    void aRestartFindsItAndStoresNothing() {
        // Also with the whitespace a key read from a file or a shell variable may carry.
        for (String configured : new String[] { CONFIGURED_ADMIN_KEY, "  " + CONFIGURED_ADMIN_KEY + "\n" }) {
            Bootstrap result = join(seeder.ensureAdminKey(Optional.of(configured)));
            assertThat(result.configuredBefore()).isPresent();
            assertThat(result.storedConfigured()).isEmpty();
            assertThat(result.storedGenerated()).isEmpty();
        }
        assertThat(count("SELECT count(*) FROM api_keys")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aNewConfiguredKeyIsStoredAlthoughAnotherAdminKeyExists() {
        Bootstrap result = join(seeder.ensureAdminKey(Optional.of(ROTATED_KEY)));
        assertThat(result.storedConfigured()).isPresent();
        assertThat(result.storedGenerated()).isEmpty();
        assertThat(verify(ROTATED_KEY).getScopesList()).contains("admin");
        assertThat(verify(CONFIGURED_ADMIN_KEY).getScopesList()).as("the earlier one stays valid").contains("admin");
        assertThat(count("SELECT count(*) FROM api_keys")).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aRevokedConfiguredKeyStaysRevokedAndIfNoAdminKeyIsLeftOneIsGenerated() throws Exception {
        // Revoked by an admin earlier (directly here: the API refuses to revoke the last admin key).
        join(pool.query("UPDATE api_keys SET revoked_at = now()").execute());

        Bootstrap result = join(seeder.ensureAdminKey(Optional.of(CONFIGURED_ADMIN_KEY)));

        assertThat(result.configuredBefore()).get().matches(key -> key.isRevoked());
        assertThat(result.storedConfigured()).isEmpty();
        assertThat(result.storedGenerated()).isPresent();
        Status refused = Status.fromThrowable(join(auth.verifyApiKey(VerifyApiKeyRequest.newBuilder()
                .setKey(CONFIGURED_ADMIN_KEY).build()).onItemOrFailure().transform((ok, f) -> f)));
        assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        String log = log();
        assertThat(log).contains("the configured bootstrap API key " + result.configuredBefore().get().id())
                .contains("is revoked")
                .contains("Bootstrap admin API key (shown once, store it): hk_");
        assertThat(log).contains(result.storedGenerated().get().key().id());
    }

    @Test
    void aConfiguredKeyThatCouldBeGuessedOrNeverPresentedIsRefused() {
        for (String bad : new String[] { "admin", "hk_short", "hk_has a space in it_0123456789abcdefghijkl", "x".repeat(513) }) {
            assertThatThrownBy(() -> seeder.ensureAdminKey(Optional.of(bad)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("HEARTH_BOOTSTRAP_API_KEY");
        }
        // Blank means unset.
        assertThat(join(seeder.ensureAdminKey(Optional.of("  "))).storedConfigured()).isEmpty();
    }
}
