package dev.hearth.gateway.redis;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;

/**
 * This gateway process among its replicas: a random id per start, and a lease in Redis renewed
 * while it lives. Watchers on other replicas read the lease to tell a quiet stream from one whose
 * replica died (that one they end as {@code incomplete}, rather than wait forever).
 */
@ApplicationScoped
public class ReplicaIdentity {

    static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration RENEW = Duration.ofSeconds(5);

    private final String id = "gw-" + UUID.randomUUID().toString().substring(0, 8);
    private final Redis redis;
    private final GatewayKeys keys;
    private final Vertx vertx;
    private long timer = -1;

    public ReplicaIdentity(Redis redis, GatewayKeys keys, Vertx vertx) {
        this.redis = redis;
        this.keys = keys;
        this.vertx = vertx;
    }

    public String id() {
        return id;
    }

    void start(@Observes StartupEvent event) {
        renew();
        timer = vertx.setPeriodic(RENEW.toMillis(), t -> renew());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        redis.send(Request.cmd(Command.DEL).arg(keys.replicaLease(id))).subscribe().with(ok -> { }, failure -> { });
    }

    private void renew() {
        redis.send(Request.cmd(Command.SET).arg(keys.replicaLease(id)).arg("1").arg("PX").arg(LEASE.toMillis()))
                .subscribe().with(ok -> { }, failure -> { }); // Redis away: the next renewal tries again
    }
}
