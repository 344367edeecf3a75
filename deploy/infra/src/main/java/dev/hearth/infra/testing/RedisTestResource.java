package dev.hearth.infra.testing;

import dev.hearth.infra.Redis;
import dev.hearth.infra.RedisKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.util.Map;

/**
 * The shared Redis (found or embedded) with a key prefix of this test class's own; its keys are
 * deleted when the class is done. Overrides {@code hearth.redis.url} and {@code hearth.redis.prefix}.
 * Pub/Sub channels are not keys: tests that publish should put the prefix in channel names too.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private Redis redis;
    private String prefix;

    @Override
    public Map<String, String> start() {
        redis = SharedInfra.redis();
        prefix = UniqueNames.redisPrefix();
        return Map.of(
                "hearth.redis.url", redis.url().toString(),
                "hearth.redis.prefix", prefix);
    }

    @Override
    public void stop() {
        if (redis == null) {
            return;
        }
        try {
            RedisKeys.deleteByPrefix(redis.url(), prefix);
        } catch (IOException e) {
            System.getLogger(RedisTestResource.class.getName()).log(System.Logger.Level.WARNING,
                    "Could not delete Redis keys under " + prefix, e);
        }
    }
}
