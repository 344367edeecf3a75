package dev.hearth.config.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Names in Redis, all under one prefix so several suites (or test classes) can share a server. */
@ConfigMapping(prefix = "hearth.redis")
public interface RedisKeys {

    /** The server, e.g. {@code redis://localhost:6379}; also feeds {@code quarkus.redis.hosts}. */
    @WithDefault("redis://localhost:6379")
    String url();

    @WithDefault("hearth:")
    String prefix();

    /** The Pub/Sub channel carrying {@code {version, kind, id}} after every config write. */
    default String configChangesChannel() {
        return prefix() + "config-changes";
    }
}
