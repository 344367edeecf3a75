package dev.hearth.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.gateway.config.LimitsConfig;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-key limits in a real Redis. A second {@link RateLimiter} on the same Redis and prefix plays
 * another gateway replica.
 */
@QuarkusTest
@TestProfile(SecurityTestProfile.class)
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class RateLimiterTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    @Inject
    RateLimiter limiter;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @Inject
    LimitsConfig config;

    @ConfigProperty(name = "hearth.redis.prefix")
    String prefix;

    private RateLimiter otherReplica;

    @BeforeEach
    void otherReplica() {
        otherReplica = replica(config.lease());
    }

    @AfterEach
    void stopOtherReplica() {
        otherReplica.close();
    }

    private RateLimiter replica(Duration lease) {
        return new RateLimiter(reactiveRedis, prefix, new LimitsConfig() {
            @Override
            public int messagesPerMinute() {
                return config.messagesPerMinute();
            }

            @Override
            public int streamsPerKey() {
                return config.streamsPerKey();
            }

            @Override
            public int connectionsPerKey() {
                return config.connectionsPerKey();
            }

            @Override
            public Duration lease() {
                return lease;
            }
        }, vertx);
    }

    private static Principal principal(int messagesPerMinute, int streams, int connections) {
        String id = "k_" + UUID.randomUUID().toString().substring(0, 8);
        return new Principal(id, "u_" + id, Set.of("chat"), new Principal.Limits(messagesPerMinute, streams, connections), 0, id);
    }

    private static ProtocolException refusal(Runnable action) {
        try {
            action.run();
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("expected a ProtocolException");
    }

    @Test
    void aMessageOverTheKeysRatePerMinuteIsRateLimitedWithRetryAfter() {
        Principal key = principal(3, 16, 32);
        for (int i = 0; i < 3; i++) {
            limiter.checkMessage(key).await().atMost(WAIT);
        }
        ProtocolException limited = refusal(() -> limiter.checkMessage(key).await().atMost(WAIT));
        assertThat(limited.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        // 3 per minute: one more every 20 s
        assertThat(limited.retryAfterMs()).isPositive().isLessThanOrEqualTo(20_000);
        // another key is not affected
        limiter.checkMessage(principal(3, 16, 32)).await().atMost(WAIT);
    }

    @Test
    void replicasSharingRedisCountOneBudgetPerKey() {
        Principal key = principal(3, 16, 32);
        limiter.checkMessage(key).await().atMost(WAIT);
        limiter.checkMessage(key).await().atMost(WAIT);
        otherReplica.checkMessage(key).await().atMost(WAIT);
        assertThat(refusal(() -> otherReplica.checkMessage(key).await().atMost(WAIT)).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refusal(() -> limiter.checkMessage(key).await().atMost(WAIT)).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        // the state is one Redis key, expiring on its own
        assertThat(redis.key().pttl(prefix + "limits:messages:" + key.keyId())).isPositive();
    }

    @Test
    void concurrentStreamsAreCountedOverReplicasAndReleased() {
        Principal key = principal(100, 2, 32);
        limiter.acquireStream(key, "s1").await().atMost(WAIT);
        otherReplica.acquireStream(key, "s2").await().atMost(WAIT);
        ProtocolException full = refusal(() -> limiter.acquireStream(key, "s3").await().atMost(WAIT));
        assertThat(full.code()).isEqualTo(ErrorCode.TOO_MANY_STREAMS);
        assertThat(redis.sortedSet(String.class).zcard(prefix + "limits:streams:" + key.keyId())).isEqualTo(2);

        otherReplica.releaseStream(key, "s2");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> limiter.acquireStream(key, "s3").await().atMost(WAIT));
        limiter.releaseStream(key, "s1");
        limiter.releaseStream(key, "s3");
        limiter.releaseStream(key, "never-acquired"); // a no-op
        await().atMost(WAIT).until(() -> redis.sortedSet(String.class).zcard(prefix + "limits:streams:" + key.keyId()) == 0);
    }

    @Test
    void theSameStreamIdTakesOneSlot() {
        Principal key = principal(100, 1, 32);
        limiter.acquireStream(key, "s1").await().atMost(WAIT);
        limiter.acquireStream(key, "s1").await().atMost(WAIT);
        assertThat(refusal(() -> limiter.acquireStream(key, "s2").await().atMost(WAIT)).code())
                .isEqualTo(ErrorCode.TOO_MANY_STREAMS);
        limiter.releaseStream(key, "s1");
    }

    @Test
    void slotsOfACrashedReplicaLapseWhileLiveOnesAreRenewed() {
        Principal key = principal(100, 1, 32);
        RateLimiter crashing = replica(Duration.ofMillis(1500));
        crashing.acquireStream(key, "orphan").await().atMost(WAIT);
        crashing.close(); // no renewals, no release: as if the process died
        assertThat(refusal(() -> limiter.acquireStream(key, "s1").await().atMost(WAIT)).code())
                .isEqualTo(ErrorCode.TOO_MANY_STREAMS);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> limiter.acquireStream(key, "s1").await().atMost(WAIT));

        // a live replica with the same short lease keeps its slot well past the lease
        Principal other = principal(100, 1, 32);
        RateLimiter live = replica(Duration.ofMillis(1500));
        try {
            live.acquireStream(other, "held").await().atMost(WAIT);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() ->
                    assertThatThrownBy(() -> limiter.acquireStream(other, "s2").await().atMost(WAIT))
                            .isInstanceOf(ProtocolException.class));
        } finally {
            live.releaseStream(other, "held");
            live.close();
            limiter.releaseStream(key, "s1");
        }
    }

    @Test
    void connectionSlotsAreLimitedPerKey() {
        Principal key = principal(100, 16, 2);
        RateLimiter.Slot one = limiter.acquireConnection(key).await().atMost(WAIT);
        RateLimiter.Slot two = otherReplica.acquireConnection(key).await().atMost(WAIT);
        one.hold();
        two.hold();
        ProtocolException full = refusal(() -> limiter.acquireConnection(key).await().atMost(WAIT));
        assertThat(full.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        two.release();
        two.release(); // idempotent
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> limiter.acquireConnection(key).await().atMost(WAIT).release());
        one.release();
    }
}
