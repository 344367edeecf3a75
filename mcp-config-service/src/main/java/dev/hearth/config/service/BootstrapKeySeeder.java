package dev.hearth.config.service;

import dev.hearth.config.ApiKey;
import dev.hearth.config.ApiKeyLimits;
import dev.hearth.config.NewApiKey;
import dev.hearth.config.config.AuthConfig;
import dev.hearth.config.repository.ApiKeyRepository;
import dev.hearth.config.repository.ApiKeyRepository.Bootstrap;
import dev.hearth.config.repository.ApiKeyRepository.BootstrapKey;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes sure someone can administer the keys. At startup: a configured bootstrap key
 * ({@code HEARTH_BOOTSTRAP_API_KEY}) is stored, by its hash, the first time it is seen; and if
 * no usable (unrevoked, unexpired) admin key exists then, one is generated and logged once at
 * WARN - its only appearance anywhere. Both are admin + chat keys named {@code bootstrap} for
 * user {@code admin}. One locked transaction, so instances starting together store one key.
 */
@ApplicationScoped
public class BootstrapKeySeeder {

    private static final Logger LOG = Logger.getLogger(BootstrapKeySeeder.class);

    static final String NAME = "bootstrap";
    static final String USER = "admin";
    /** A configured key is only as safe as it is long: SHA-256 storage assumes an unguessable key. */
    static final int MIN_CONFIGURED_LENGTH = 32;

    private final ApiKeyRepository keys;
    private final ApiKeyGenerator generator;
    private final ConfigChangePublisher publisher;
    private final AuthConfig config;

    public BootstrapKeySeeder(ApiKeyRepository keys, ApiKeyGenerator generator, ConfigChangePublisher publisher,
            AuthConfig config) {
        this.keys = keys;
        this.generator = generator;
        this.publisher = publisher;
        this.config = config;
    }

    // Blocking is fine here: StartupEvent observers run on the main thread before traffic is served.
    void onStart(@Observes StartupEvent event) {
        ensureAdminKey(config.bootstrapKey()).await().atMost(Duration.ofSeconds(60));
    }

    /** What startup does; visible for tests, which run it again as a restart would. */
    public Uni<Bootstrap> ensureAdminKey(Optional<String> configuredKey) {
        Optional<String> configured = configuredKey.map(String::trim).filter(k -> !k.isEmpty());
        configured.ifPresent(BootstrapKeySeeder::checkUsable);
        NewApiKey spec = new NewApiKey(NAME, USER, List.of(ApiKey.SCOPE_ADMIN, ApiKey.SCOPE_CHAT),
                ApiKeyLimits.GATEWAY_DEFAULTS, null);
        String secret = generator.newKey();
        return keys.bootstrap(configured.map(key -> bootstrapKey(spec, key)), bootstrapKey(spec, secret))
                .call(result -> result.storedConfigured().map(w -> publisher.publish(w.change()))
                        .orElse(Uni.createFrom().voidItem()))
                .call(result -> result.storedGenerated().map(w -> publisher.publish(w.change()))
                        .orElse(Uni.createFrom().voidItem()))
                .invoke(result -> report(result, secret));
    }

    private BootstrapKey bootstrapKey(NewApiKey spec, String secret) {
        return new BootstrapKey(generator.newId(), spec, ApiKeyGenerator.hash(secret), ApiKeyGenerator.displayPrefix(secret));
    }

    /** Refuses a configured key that could be guessed or could never be presented. */
    static void checkUsable(String key) {
        if (key.length() < MIN_CONFIGURED_LENGTH || key.length() > ApiKeyService.MAX_KEY_LENGTH
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalStateException("hearth.auth.bootstrap-key (HEARTH_BOOTSTRAP_API_KEY) must be "
                    + MIN_CONFIGURED_LENGTH + " to " + ApiKeyService.MAX_KEY_LENGTH
                    + " printable ASCII characters without spaces, e.g. hk_ and 43 random base64url characters "
                    + "(what deploy/hearth generates); unset it to have a key generated and logged once");
        }
    }

    private static void report(Bootstrap result, String generatedSecret) {
        result.storedConfigured().ifPresent(w -> LOG.infof(
                "bootstrap admin API key from hearth.auth.bootstrap-key stored as %s (%s...)",
                w.key().id(), w.key().prefix()));
        result.configuredBefore().ifPresent(key -> {
            if (key.isRevoked() || key.isExpiredAt(Instant.now())) {
                LOG.warnf("the configured bootstrap API key %s (%s...) is %s: it stays so; "
                        + "set another HEARTH_BOOTSTRAP_API_KEY or use another admin key", key.id(), key.prefix(),
                        key.status(Instant.now()));
            } else {
                LOG.infof("bootstrap admin API key from hearth.auth.bootstrap-key is %s (%s...)", key.id(), key.prefix());
            }
        });
        result.storedGenerated().ifPresent(w -> LOG.warnf(
                "No usable admin API key existed, so %s was created for user '%s' (scopes admin, chat). "
                        + "Bootstrap admin API key (shown once, store it): %s",
                w.key().id(), USER, generatedSecret));
    }
}
