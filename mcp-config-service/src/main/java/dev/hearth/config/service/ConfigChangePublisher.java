package dev.hearth.config.service;

import dev.hearth.config.ConfigChange;
import dev.hearth.config.config.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Announces committed config writes on Redis Pub/Sub. Delivery is at-most-once by nature, so a
 * failed publish is logged, not retried: subscribers resync by version on (re)subscribe and on a
 * timer, which is what makes a lost message harmless.
 */
@ApplicationScoped
public class ConfigChangePublisher {

    private static final Logger LOG = Logger.getLogger(ConfigChangePublisher.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final RedisKeys keys;

    public ConfigChangePublisher(ReactiveRedisDataSource redis, RedisKeys keys) {
        this.pubsub = redis.pubsub(String.class);
        this.keys = keys;
    }

    public Uni<Void> publish(ConfigChange change) {
        return pubsub.publish(keys.configChangesChannel(), change.toJson())
                .onFailure().invoke(e -> LOG.warnf("config change %s not published (%s); subscribers will resync",
                        change.version(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
