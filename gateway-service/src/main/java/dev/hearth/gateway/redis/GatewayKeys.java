package dev.hearth.gateway.redis;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Names of the gateway's Redis keys and channels, all under {@code hearth.redis.prefix}. */
@ApplicationScoped
public class GatewayKeys {

    private final String prefix;

    public GatewayKeys(@ConfigProperty(name = "hearth.redis.prefix") String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** A stream's events: a Redis Stream whose entry ids are {@code 0-(seq+1)}. */
    public String streamEvents(String streamId) {
        return prefix + "stream:" + streamId + ":events";
    }

    /** A stream's owner, sharing, epoch, producing replica and state (a hash). */
    public String streamMeta(String streamId) {
        return prefix + "stream:" + streamId + ":meta";
    }

    /** Live events of a stream for watchers on other replicas. */
    public String streamChannel(String streamId) {
        return prefix + "stream:" + streamId;
    }

    /** Requests for the replica running a stream (cancel). */
    public String streamControlChannel() {
        return prefix + "stream-control";
    }

    /** Present while a gateway replica is alive (a key with a short TTL, refreshed). */
    public String replicaLease(String replicaId) {
        return prefix + "gateway:" + replicaId + ":alive";
    }
}
