package dev.hearth.gateway.redis;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.stream.ChatStream;
import dev.hearth.gateway.stream.StreamEvent;
import dev.hearth.gateway.stream.StreamSink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Stream history in Redis, so a client can resume on any gateway replica: each stream is a Redis
 * Stream (entry id {@code 0-(seq+1)}, trimmed to the configured count, expiring the configured
 * time after its last event) plus a meta hash, and each event is published on the stream's channel
 * for watchers on other replicas. Writes never hold up local delivery: each stream has one batch
 * in flight at a time (which keeps its events in order) and the next batch collects meanwhile.
 */
@ApplicationScoped
public class StreamHistory implements StreamSink {

    private static final Logger LOG = Logger.getLogger(StreamHistory.class);

    private final Redis redis;
    private final GatewayKeys keys;
    private final GatewayConfig.Streams config;
    private final ReplicaIdentity replica;
    private final Writer writer = new Writer();

    public StreamHistory(Redis redis, GatewayKeys keys, GatewayConfig config, ReplicaIdentity replica) {
        this.redis = redis;
        this.keys = keys;
        this.config = config.streams();
        this.replica = replica;
    }

    /** What a replica needs to know of a stream it does not run. */
    public record Meta(String streamId, String owner, boolean shared, String epoch, String replica, boolean ended, long lastSeq,
            String requestId) {
    }

    @Override
    public void opened(ChatStream stream) {
        writer.add(stream.id(), Request.cmd(Command.HSET).arg(keys.streamMeta(stream.id()))
                .arg("owner").arg(stream.ownerUserId())
                .arg("shared").arg(stream.shared() ? "1" : "0")
                .arg("epoch").arg(stream.epoch())
                .arg("request_id").arg(stream.requestId())
                .arg("replica").arg(replica.id())
                .arg("started_at").arg(stream.startedAt().toString())
                .arg("state").arg("running")
                .arg("last_seq").arg(-1), -1, false);
    }

    @Override
    public void appended(ChatStream stream, StreamEvent event) {
        String id = stream.id();
        Request xadd = Request.cmd(Command.XADD).arg(keys.streamEvents(id))
                .arg("MAXLEN").arg("~").arg(config.historySize())
                .arg("0-" + (event.seq() + 1))
                .arg("e").arg(event.json());
        if (event.terminal()) {
            xadd.arg("t").arg("1");
        }
        byte[] frame = event.forHistory().frame();
        if (frame != null) {
            // An audio event's binary frame (raw bytes: Redis strings are binary-safe), for resume.
            xadd.arg("b").arg(frame);
        }
        writer.add(id, xadd, -1, false);
        writer.add(id, Request.cmd(Command.PUBLISH).arg(keys.streamChannel(id)).arg(event.wire()), event.seq(), event.terminal());
    }

    /** Appends a terminal event unless another event took its place meanwhile (then it fails). */
    private static final String END_ORPHAN = """
            redis.call('XADD', KEYS[1], ARGV[1], 'e', ARGV[2], 't', '1')
            redis.call('HSET', KEYS[2], 'state', 'ended', 'last_seq', ARGV[3])
            redis.call('PUBLISH', KEYS[3], ARGV[4])
            return 1
            """;

    /** Whether the replica that runs a stream still renews its lease. */
    public Uni<Boolean> replicaAlive(String replicaId) {
        return redis.send(Request.cmd(Command.EXISTS).arg(keys.replicaLease(replicaId)))
                .map(response -> response != null && response.toInteger() > 0);
    }

    /**
     * Ends a stream whose replica is gone: appends {@code terminal} (built for seq {@code seq}) to its
     * history and publishes it, so every watcher on every replica gets one terminal event.
     */
    public Uni<Void> endOrphan(String streamId, long seq, String terminalJson) {
        return redis.send(Request.cmd(Command.EVAL).arg(END_ORPHAN).arg(3)
                        .arg(keys.streamEvents(streamId)).arg(keys.streamMeta(streamId)).arg(keys.streamChannel(streamId))
                        .arg("0-" + (seq + 1)).arg(terminalJson).arg(seq)
                        .arg(new StreamEvent(seq, terminalJson, true).wire()))
                .replaceWithVoid();
    }

    /** The seq of the newest event in Redis, or -1. */
    public Uni<Long> lastSeq(String streamId) {
        return redis.send(Request.cmd(Command.XREVRANGE).arg(keys.streamEvents(streamId)).arg("+").arg("-").arg("COUNT").arg(1))
                .map(response -> {
                    List<StreamEvent> events = events(response);
                    return events.isEmpty() ? -1L : events.get(0).seq();
                });
    }

    /** Events after {@code afterSeq}, oldest first, at most the history size. */
    public Uni<List<StreamEvent>> eventsAfter(String streamId, long afterSeq) {
        return redis.send(Request.cmd(Command.XRANGE).arg(keys.streamEvents(streamId))
                        .arg("0-" + (afterSeq + 2)).arg("+").arg("COUNT").arg(config.historySize()))
                .map(StreamHistory::events);
    }

    /** The stream's meta, or null when Redis knows no such stream (never existed, or expired). */
    public Uni<Meta> meta(String streamId) {
        return redis.send(Request.cmd(Command.HGETALL).arg(keys.streamMeta(streamId))).map(response -> {
            Map<String, String> fields = new java.util.HashMap<>();
            if (response != null) {
                if (response.type() == io.vertx.redis.client.ResponseType.MULTI && !isMap(response)) {
                    for (int i = 0; i + 1 < response.size(); i += 2) {
                        fields.put(response.get(i).toString(), response.get(i + 1).toString());
                    }
                } else {
                    for (String key : response.getKeys()) {
                        fields.put(key, response.get(key).toString());
                    }
                }
            }
            if (!fields.containsKey("epoch")) {
                return null;
            }
            return new Meta(streamId, fields.getOrDefault("owner", ""), "1".equals(fields.get("shared")),
                    fields.get("epoch"), fields.getOrDefault("replica", ""), "ended".equals(fields.get("state")),
                    Long.parseLong(fields.getOrDefault("last_seq", "-1")), fields.getOrDefault("request_id", ""));
        });
    }

    private static boolean isMap(Response response) {
        try {
            return !response.getKeys().isEmpty();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static List<StreamEvent> events(Response response) {
        List<StreamEvent> events = new ArrayList<>();
        if (response == null) {
            return events;
        }
        for (int i = 0; i < response.size(); i++) {
            Response entry = response.get(i);
            String id = entry.get(0).toString();
            long seq = Long.parseLong(id.substring(id.indexOf('-') + 1)) - 1;
            Response fields = entry.get(1);
            String json = null;
            boolean terminal = false;
            byte[] frame = null;
            for (int f = 0; f + 1 < fields.size(); f += 2) {
                String name = fields.get(f).toString();
                if ("e".equals(name)) {
                    json = fields.get(f + 1).toString();
                } else if ("t".equals(name)) {
                    terminal = "1".equals(fields.get(f + 1).toString());
                } else if ("b".equals(name)) {
                    frame = fields.get(f + 1).toBytes();
                }
            }
            if (json != null) {
                events.add(new StreamEvent(seq, json, terminal, frame, frame != null));
            }
        }
        return events;
    }

    /**
     * Every stream's writes, in order, as one pipeline: while a batch is in flight the next one
     * collects whatever all streams append meanwhile, so Redis sees few large batches rather than
     * a round trip per token. Each stream's meta gets its last seq once per batch and its expiry
     * renewed every few seconds and at its end.
     */
    private final class Writer {
        private static final long RENEW_EXPIRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        private List<Request> pending = new ArrayList<>();
        private final Map<String, long[]> touched = new java.util.LinkedHashMap<>(); // id -> {last seq, ended}
        private final Map<String, Long> expiryRenewed = new java.util.HashMap<>();
        private boolean inFlight;
        private long lastWarningNanos;

        void add(String streamId, Request request, long seq, boolean terminal) {
            synchronized (this) {
                pending.add(request);
                long[] state = touched.computeIfAbsent(streamId, k -> new long[] {-1, 0});
                if (seq >= 0) {
                    state[0] = seq;
                }
                if (terminal) {
                    state[1] = 1;
                }
            }
            flush();
        }

        private void flush() {
            List<Request> batch;
            synchronized (this) {
                if (inFlight || pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new ArrayList<>();
                long now = System.nanoTime();
                long ttl = config.historyTtl().toMillis();
                for (Map.Entry<String, long[]> entry : touched.entrySet()) {
                    String id = entry.getKey();
                    long lastSeq = entry.getValue()[0];
                    boolean ended = entry.getValue()[1] == 1;
                    if (lastSeq >= 0 || ended) {
                        Request meta = Request.cmd(Command.HSET).arg(keys.streamMeta(id));
                        if (lastSeq >= 0) {
                            meta.arg("last_seq").arg(lastSeq);
                        }
                        if (ended) {
                            meta.arg("state").arg("ended");
                        }
                        batch.add(meta);
                    }
                    Long renewed = expiryRenewed.get(id);
                    if (ended || renewed == null || now - renewed > RENEW_EXPIRY_NANOS) {
                        // The meta outlives the events, so a resume after they expired is told
                        // stream_gap, not stream_not_found.
                        batch.add(Request.cmd(Command.PEXPIRE).arg(keys.streamMeta(id)).arg(2 * ttl));
                        batch.add(Request.cmd(Command.PEXPIRE).arg(keys.streamEvents(id)).arg(ttl));
                        if (ended) {
                            expiryRenewed.remove(id);
                        } else {
                            expiryRenewed.put(id, now);
                        }
                    }
                }
                touched.clear();
                inFlight = true;
            }
            redis.batch(batch).subscribe().with(ok -> written(), this::failed);
        }

        private void written() {
            synchronized (this) {
                inFlight = false;
            }
            flush();
        }

        private void failed(Throwable failure) {
            synchronized (this) {
                long now = System.nanoTime();
                if (now - lastWarningNanos > java.util.concurrent.TimeUnit.SECONDS.toNanos(30)) {
                    lastWarningNanos = now;
                    LOG.warnf("stream history not written to Redis (%s); clients here are unaffected, "
                            + "resume on another replica may report stream_gap", failure.getMessage());
                }
            }
            written();
        }
    }
}
