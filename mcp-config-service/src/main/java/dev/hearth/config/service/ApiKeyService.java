package dev.hearth.config.service;

import dev.hearth.config.ApiKey;
import dev.hearth.config.NewApiKey;
import dev.hearth.config.repository.ApiKeyRepository;
import dev.hearth.config.repository.ApiKeyRepository.RevokeResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Creates, lists, revokes and verifies API keys; every create and revoke is announced on Redis. */
@ApplicationScoped
public class ApiKeyService {

    /** Longer than any key we issue or accept by far; longer input is not worth hashing. */
    static final int MAX_KEY_LENGTH = 512;

    private final ApiKeyRepository keys;
    private final ApiKeyGenerator generator;
    private final ConfigChangePublisher publisher;
    private final Clock clock = Clock.systemUTC();

    public ApiKeyService(ApiKeyRepository keys, ApiKeyGenerator generator, ConfigChangePublisher publisher) {
        this.keys = keys;
        this.generator = generator;
        this.publisher = publisher;
    }

    /** A key just created: {@code secret} is the key itself, which exists nowhere else afterwards. */
    public record CreatedApiKey(ApiKey key, String secret) {
    }

    public Uni<CreatedApiKey> create(NewApiKey request) {
        String secret = generator.newKey();
        return keys.insert(generator.newId(), request, ApiKeyGenerator.hash(secret), ApiKeyGenerator.displayPrefix(secret))
                .call(written -> publisher.publish(written.change()))
                .map(written -> new CreatedApiKey(written.key(), secret));
    }

    public Uni<List<ApiKey>> list() {
        return keys.list();
    }

    public Uni<Optional<ApiKey>> find(String id) {
        return keys.find(id);
    }

    public Uni<RevokeResult> revoke(String id) {
        return keys.revoke(id)
                .call(revocation -> revocation.change() == null
                        ? Uni.createFrom().voidItem()
                        : publisher.publish(revocation.change()))
                .map(ApiKeyRepository.Revocation::result);
    }

    /** The key's owner and rights; fails with {@link InvalidApiKeyException} saying why it is refused. */
    public Uni<ApiKey> verify(String presented) {
        if (presented == null || presented.isEmpty()) {
            return invalid("no API key was presented");
        }
        if (presented.length() > MAX_KEY_LENGTH) {
            return invalid("unknown API key");
        }
        return keys.findForVerification(ApiKeyGenerator.hash(presented)).chain(found -> {
            if (found.isEmpty()) {
                return invalid("unknown API key");
            }
            ApiKey key = found.get();
            if (key.isRevoked()) {
                return invalid("API key " + key.id() + " was revoked at " + key.revokedAt());
            }
            if (key.isExpiredAt(clock.instant())) {
                return invalid("API key " + key.id() + " expired at " + key.expiresAt());
            }
            return Uni.createFrom().item(key);
        });
    }

    private static <T> Uni<T> invalid(String why) {
        return Uni.createFrom().failure(new InvalidApiKeyException(why));
    }
}
