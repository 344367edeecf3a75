package dev.hearth.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "hearth.router.history")
public interface HistoryConfig {

    /** Redis keys of the recent-history cache start with this. */
    @WithDefault("hearth:router:history:")
    String keyPrefix();

    /** How long a conversation's recent messages stay in Redis after its last turn. */
    @WithDefault("24h")
    Duration ttl();

    /** A slower Redis call counts as a miss (reads) or is given up (writes). */
    @WithDefault("1s")
    Duration redisTimeout();
}
