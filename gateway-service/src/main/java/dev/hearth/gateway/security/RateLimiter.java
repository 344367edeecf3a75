package dev.hearth.gateway.security;

import dev.hearth.gateway.config.LimitsConfig;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Per-key limits, counted in Redis so that they hold over every gateway replica.
 *
 * <ul>
 * <li>Messages per minute: a GCRA bucket (one key holding the "theoretical arrival time"): a key
 * may send its whole minute's worth at once, then one message every 60 s / limit; a refused message
 * is told exactly when the next one will pass.
 * <li>Concurrent streams and connections: a sorted set per key whose members are the slots held and
 * whose scores are lease expiries. This replica renews its slots every third of the lease; a
 * crashed replica's slots lapse on their own, so counts never leak.
 * </ul>
 * Each check-and-take is one Lua script, so concurrent replicas cannot both take the last slot;
 * time comes from Redis ({@code TIME}), so replicas' clocks do not matter.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    // KEYS[1] bucket; ARGV[1] limit per minute. Returns 0 (pass) or ms until a message passes.
    static final String MESSAGE_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local limit = tonumber(ARGV[1])
            local interval = math.ceil(60000 / limit)
            local tat = tonumber(redis.call('GET', KEYS[1])) or now
            if tat < now then tat = now end
            local allow_at = tat + interval - interval * limit
            if allow_at > now then return allow_at - now end
            redis.call('SET', KEYS[1], tat + interval, 'PX', tat + interval - now)
            return 0
            """;

    // KEYS[1] slots; ARGV[1] member, ARGV[2] limit, ARGV[3] lease ms. Returns 1 (taken) or 0 (full).
    static final String ACQUIRE_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lease = tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
              if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            end
            redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
            redis.call('PEXPIRE', KEYS[1], lease + 1000)
            return 1
            """;

    // KEYS[1] slots; ARGV[1] lease ms, ARGV[2..] members. Renews members still there (XX: a slot
    // released meanwhile is not brought back).
    static final String RENEW_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lease = tonumber(ARGV[1])
            for i = 2, #ARGV do
              redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[1], lease + 1000)
            return 1
            """;

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final LimitsConfig config;
    private final Vertx vertx;
    /** This process among the replicas sharing Redis: slot members are ours by this prefix. */
    private final String holder = UUID.randomUUID().toString();
    private final Map<String, Slot> streams = new ConcurrentHashMap<>();
    /** Slots to renew: acquired and in use, not yet released. */
    private final Set<Slot> held = ConcurrentHashMap.newKeySet();
    private final long renewTimer;

    public RateLimiter(ReactiveRedisDataSource redis, @ConfigProperty(name = "hearth.redis.prefix") String prefix,
            LimitsConfig config, Vertx vertx) {
        this.redis = redis;
        this.prefix = prefix;
        this.config = config;
        this.vertx = vertx;
        this.renewTimer = vertx.setPeriodic(Math.max(100, config.lease().toMillis() / 3), id -> renew());
    }

    @PreDestroy
    public void close() {
        vertx.cancelTimer(renewTimer);
    }

    /**
     * Counts one chat message of {@code principal}'s key; fails with {@link ProtocolException}
     * {@code RATE_LIMITED} (with {@code retryAfterMs}) when it is over its messages per minute.
     */
    public Uni<Void> checkMessage(Principal principal) {
        return eval(MESSAGE_SCRIPT, prefix + "limits:messages:" + principal.keyId(),
                String.valueOf(principal.limits().messagesPerMinute()))
                .map(response -> {
                    long retryAfterMs = response.toLong();
                    if (retryAfterMs > 0) {
                        throw new ProtocolException(ErrorCode.RATE_LIMITED, "more than "
                                + principal.limits().messagesPerMinute() + " messages per minute", retryAfterMs);
                    }
                    return null;
                });
    }

    /**
     * Takes one of the key's concurrent-stream slots for {@code streamId} until
     * {@link #releaseStream}; fails with {@link ProtocolException} {@code TOO_MANY_STREAMS} when
     * they are all taken. Taking the same stream id twice is one slot.
     */
    public Uni<Void> acquireStream(Principal principal, String streamId) {
        String local = principal.keyId() + '\n' + streamId;
        Slot slot = new Slot(prefix + "limits:streams:" + principal.keyId(), holder + "/" + UUID.randomUUID());
        Slot existing = streams.putIfAbsent(local, slot);
        if (existing != null) {
            return Uni.createFrom().voidItem();
        }
        return take(slot, principal.limits().maxConcurrentStreams())
                .onFailure().invoke(f -> streams.remove(local, slot))
                .onCancellation().invoke(() -> {
                    streams.remove(local, slot);
                    slot.release();
                })
                .onItem().transform(taken -> {
                    if (!taken) {
                        streams.remove(local, slot);
                        throw new ProtocolException(ErrorCode.TOO_MANY_STREAMS, "this key may run "
                                + principal.limits().maxConcurrentStreams() + " streams at once");
                    }
                    slot.hold();
                    return null;
                });
    }

    /** Gives the stream's slot back (a no-op when it holds none). Never fails; a lost release lapses. */
    public void releaseStream(Principal principal, String streamId) {
        Slot slot = streams.remove(principal.keyId() + '\n' + streamId);
        if (slot != null) {
            slot.release();
        }
    }

    /**
     * Takes one of the key's connection slots; the caller {@link Slot#hold() holds} it once the
     * connection is open and releases it when it closes. Fails with {@link ProtocolException}
     * {@code RATE_LIMITED} when they are all taken.
     */
    public Uni<Slot> acquireConnection(Principal principal) {
        Slot slot = new Slot(prefix + "limits:connections:" + principal.keyId(), holder + "/" + UUID.randomUUID());
        return take(slot, principal.limits().maxConnections()).map(taken -> {
            if (!taken) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "this key may hold "
                        + principal.limits().maxConnections() + " connections at once");
            }
            return slot;
        });
    }

    private Uni<Boolean> take(Slot slot, int limit) {
        return eval(ACQUIRE_SCRIPT, slot.key, slot.member, String.valueOf(limit), String.valueOf(config.lease().toMillis()))
                .map(response -> response.toLong() == 1L);
    }

    /** Renews every slot this replica holds: one script per key. */
    void renew() {
        Map<String, List<String>> byKey = held.stream()
                .collect(Collectors.groupingBy(s -> s.key, Collectors.mapping(s -> s.member, Collectors.toList())));
        String lease = String.valueOf(config.lease().toMillis());
        byKey.forEach((key, members) -> {
            List<String> args = new ArrayList<>(members.size() + 1);
            args.add(lease);
            args.addAll(members);
            eval(RENEW_SCRIPT, key, args.toArray(String[]::new)).subscribe().with(ok -> { },
                    failure -> LOG.debugf("renewing %d slots of %s failed: %s", members.size(), key, failure.getMessage()));
        });
    }

    private Uni<Response> eval(String script, String key, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = script;
        command[1] = "1";
        command[2] = key;
        System.arraycopy(args, 0, command, 3, args.length);
        return redis.execute("EVAL", command)
                .onFailure().transform(failure -> {
                    LOG.warnf("per-key limits cannot be checked: %s", failure.getMessage());
                    return new LimitsUnavailableException();
                });
    }

    /** One stream or connection slot of one key. */
    public final class Slot {
        private final String key;
        private final String member;
        private boolean holding;
        private boolean released;

        Slot(String key, String member) {
            this.key = key;
            this.member = member;
        }

        /** Keeps the slot alive (renewed with the others) until {@link #release()}. */
        public void hold() {
            boolean releasedMeanwhile;
            synchronized (this) {
                if (holding) {
                    return;
                }
                holding = true;
                releasedMeanwhile = released;
            }
            if (releasedMeanwhile) {
                // Released while it was being taken: the release may have reached Redis first.
                remove();
                return;
            }
            held.add(this);
        }

        /** Gives the slot back; idempotent, never fails. */
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            held.remove(this);
            remove();
        }

        private void remove() {
            redis.execute("ZREM", key, member).subscribe().with(ok -> { },
                    failure -> LOG.debugf("releasing a slot of %s failed (it lapses): %s", key, failure.getMessage()));
        }

        @Override
        public String toString() {
            return key + " " + member;
        }
    }
}
