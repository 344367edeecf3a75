package dev.hearth.gateway.stream;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.redis.GatewayKeys;
import dev.hearth.gateway.redis.RedisPubSub;
import dev.hearth.gateway.redis.StreamHistory;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import dev.hearth.gateway.ws.ServerMessages;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watching streams that run on another gateway replica. Per watched stream this replica listens
 * to the stream's Redis channel once (a feed), however many of its clients watch it. A client
 * joins by reading the history after its {@code after_seq} from Redis — after the channel
 * subscription is confirmed, so every later event reaches it live — and then takes live events in
 * seq order. A hole in the live order (Pub/Sub drops messages across reconnects) or a long silence
 * is filled by reading Redis again; a hole Redis cannot fill ends that client's watch with
 * {@code stream_gap}.
 */
@ApplicationScoped
public class RemoteStreams {

    private static final Logger LOG = Logger.getLogger(RemoteStreams.class);

    private final StreamHistory history;
    private final RedisPubSub pubsub;
    private final GatewayKeys keys;
    private final Delivery delivery;
    private final ServerMessages messages;
    private final GatewayConfig.Streams config;
    private final Vertx vertx;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private long timer = -1;

    public RemoteStreams(StreamHistory history, RedisPubSub pubsub, GatewayKeys keys, Delivery delivery,
            ServerMessages messages, GatewayConfig config, Vertx vertx) {
        this.history = history;
        this.pubsub = pubsub;
        this.keys = keys;
        this.delivery = delivery;
        this.messages = messages;
        this.config = config.streams();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        pubsub.onReconnect(() -> feeds.values().forEach(Feed::refetchAll));
        long interval = Math.max(100, config.remotePollInterval().toMillis());
        timer = vertx.setPeriodic(interval, id -> feeds.values().forEach(Feed::pollIfSilent));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Subscribes {@code subscriber} to a stream this replica does not run. Fails with
     * {@code stream_not_found}, {@code forbidden}, {@code stream_gap} or {@code invalid_message}.
     */
    public Uni<Void> subscribe(Caller caller, String streamId, String epoch, Subscriber subscriber) {
        return history.meta(streamId).chain(meta -> {
            if (meta == null) {
                throw new ProtocolException(ErrorCode.STREAM_NOT_FOUND, "no stream " + streamId);
            }
            StreamAccess.checkWatch(caller, streamId, meta.owner(), meta.shared());
            if (epoch != null && !epoch.equals(meta.epoch())) {
                throw new ProtocolException(ErrorCode.STREAM_GAP, "stream " + streamId + " has epoch " + meta.epoch()
                        + ", not " + epoch + ": its history was lost; reload the conversation");
            }
            if (meta.ended() && subscriber.lastSeq() > meta.lastSeq()) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "after_seq " + subscriber.lastSeq()
                        + " is ahead of stream " + streamId + ", whose last event is seq " + meta.lastSeq());
            }
            Feed feed = feeds.computeIfAbsent(streamId, Feed::new);
            return feed.join(subscriber, meta);
        });
    }

    public void unsubscribe(String connectionId, String streamId) {
        Feed feed = feeds.get(streamId);
        if (feed != null) {
            feed.leave(connectionId);
        }
    }

    /** Takes a connection off every remote stream it watches. */
    public void unsubscribeEverywhere(String connectionId) {
        for (Feed feed : feeds.values()) {
            feed.leave(connectionId);
        }
    }

    public boolean isWatching(String connectionId, String streamId) {
        Feed feed = feeds.get(streamId);
        return feed != null && feed.has(connectionId);
    }

    /** Asks the replica running the stream to cancel it; every watcher gets the terminal event. */
    public Uni<Void> cancel(Caller caller, String streamId) {
        return history.meta(streamId).chain(meta -> {
            if (meta == null || meta.ended()) {
                throw new ProtocolException(ErrorCode.STREAM_NOT_FOUND, "no running stream " + streamId);
            }
            StreamAccess.checkCancel(caller, streamId, meta.owner());
            return pubsub.publish(keys.streamControlChannel(), StreamControl.cancel(streamId));
        });
    }

    /** One remote stream's channel and the clients here that watch it. */
    private final class Feed {
        private final String streamId;
        private final String channel;
        private final Uni<Void> listening;
        private final java.util.function.Consumer<String> handler = this::onMessage;
        private final TreeMap<Long, StreamEvent> live = new TreeMap<>();
        private final List<Subscriber> subscribers = new ArrayList<>();
        private final Set<Subscriber> fetching = new HashSet<>();
        private int joining;
        private boolean closed;
        private long lastHeardNanos = System.nanoTime();
        private StreamHistory.Meta meta;
        private boolean checkingReplica;

        Feed(String streamId) {
            this.streamId = streamId;
            this.channel = keys.streamChannel(streamId);
            this.listening = pubsub.subscribe(channel, handler).memoize().indefinitely();
        }

        Uni<Void> join(Subscriber subscriber, StreamHistory.Meta meta) {
            synchronized (this) {
                if (closed) {
                    // Closed between lookup and join: start over with a fresh feed.
                    feeds.remove(streamId, this);
                    return Uni.createFrom().deferred(() -> feeds.computeIfAbsent(streamId, Feed::new).join(subscriber, meta));
                }
                joining++;
            }
            return listening
                    .chain(() -> history.eventsAfter(streamId, subscriber.lastSeq()))
                    .invoke(events -> admit(subscriber, meta, events))
                    .eventually(() -> {
                        synchronized (this) {
                            joining--;
                        }
                        closeIfUnwatched();
                    })
                    .replaceWithVoid();
        }

        private synchronized void admit(Subscriber subscriber, StreamHistory.Meta meta, List<StreamEvent> events) {
            long afterSeq = subscriber.lastSeq();
            boolean missing = events.isEmpty() ? meta.lastSeq() > afterSeq && live.ceilingKey(afterSeq + 1) == null
                    : events.get(0).seq() > afterSeq + 1;
            if (missing) {
                throw new ProtocolException(ErrorCode.STREAM_GAP, "events after seq " + afterSeq + " of stream " + streamId
                        + " are no longer in history; reload the conversation");
            }
            this.meta = meta;
            subscribers.removeIf(s -> s.connectionId().equals(subscriber.connectionId()));
            if (subscribers.size() >= config.maxClientsPerStream()) {
                throw new ProtocolException(ErrorCode.TOO_MANY_CLIENTS, "stream " + streamId + " has "
                        + config.maxClientsPerStream() + " watchers on this gateway, the most it takes");
            }
            subscriber.outbox().offer(messages.subscribed(subscriber.requestId(), streamId, meta.epoch(), afterSeq));
            subscribers.add(subscriber);
            if (deliverAll(subscriber, events)) {
                advance(subscriber);
            }
        }

        void onMessage(String wire) {
            StreamEvent event = StreamEvent.fromWire(wire);
            if (event == null) {
                return;
            }
            synchronized (this) {
                lastHeardNanos = System.nanoTime();
                live.put(event.seq(), event);
                while (live.size() > config.historySize()) {
                    live.pollFirstEntry();
                }
                for (Subscriber subscriber : List.copyOf(subscribers)) {
                    if (!fetching.contains(subscriber)) {
                        advance(subscriber);
                    }
                }
            }
            closeIfUnwatched();
        }

        /** Hands over live events in order; a hole is filled from Redis. Called under the lock. */
        private void advance(Subscriber subscriber) {
            StreamEvent next;
            while ((next = live.get(subscriber.lastSeq() + 1)) != null) {
                if (!deliver(subscriber, next, false)) {
                    return;
                }
            }
            Long later = live.higherKey(subscriber.lastSeq() + 1);
            if (later != null) {
                fetch(subscriber, true);
            }
        }

        /** Re-reads Redis after the subscriber's last seq; {@code strict}: a hole it cannot fill is a gap. */
        private void fetch(Subscriber subscriber, boolean strict) {
            if (!fetching.add(subscriber)) {
                return;
            }
            history.eventsAfter(streamId, subscriber.lastSeq()).subscribe().with(events -> {
                synchronized (this) {
                    fetching.remove(subscriber);
                    if (!subscribers.contains(subscriber)) {
                        return;
                    }
                    if (!deliverAll(subscriber, events)) {
                        return;
                    }
                    StreamEvent next = live.get(subscriber.lastSeq() + 1);
                    Long later = live.higherKey(subscriber.lastSeq() + 1);
                    if (next != null) {
                        advance(subscriber);
                    } else if (strict && later != null) {
                        gap(subscriber);
                    }
                }
                closeIfUnwatched();
            }, failure -> {
                synchronized (this) {
                    fetching.remove(subscriber);
                }
                LOG.debugf("stream %s: reading history failed (%s); retried on the next poll", streamId, failure.getMessage());
            });
        }

        /** Delivers fetched events in order; false when the subscriber is gone (done, dropped or gapped). */
        private boolean deliverAll(Subscriber subscriber, List<StreamEvent> events) {
            for (StreamEvent event : events) {
                if (event.seq() <= subscriber.lastSeq()) {
                    continue;
                }
                if (event.seq() != subscriber.lastSeq() + 1) {
                    gap(subscriber);
                    return false;
                }
                if (!deliver(subscriber, event, true)) {
                    return false;
                }
            }
            return true;
        }

        private boolean deliver(Subscriber subscriber, StreamEvent event, boolean replay) {
            if (delivery.deliver(subscriber, streamId, event, replay) != Delivery.Outcome.KEEP) {
                subscribers.remove(subscriber);
                return false;
            }
            if (event.terminal()) {
                subscribers.remove(subscriber);
                return false;
            }
            return true;
        }

        private void gap(Subscriber subscriber) {
            subscribers.remove(subscriber);
            subscriber.outbox().offer(messages.droppedFromStream(subscriber.requestId(), ErrorCode.STREAM_GAP,
                    "events after seq " + subscriber.lastSeq() + " are missing from the stream's history; reload the conversation",
                    streamId, subscriber.lastSeq()));
        }

        /** Pub/Sub may have lost the latest events: re-read Redis for everyone when nothing came for a while. */
        void pollIfSilent() {
            synchronized (this) {
                if (System.nanoTime() - lastHeardNanos < TimeUnit.MILLISECONDS.toNanos(config.remotePollInterval().toMillis())) {
                    return;
                }
                lastHeardNanos = System.nanoTime();
                for (Subscriber subscriber : List.copyOf(subscribers)) {
                    fetch(subscriber, false);
                }
                if (meta != null && !subscribers.isEmpty() && !checkingReplica) {
                    checkingReplica = true;
                    endIfReplicaGone(meta);
                }
            }
        }

        /** A silent stream whose replica no longer renews its lease will never end by itself: end it. */
        private void endIfReplicaGone(StreamHistory.Meta known) {
            history.replicaAlive(known.replica())
                    .chain(alive -> alive ? Uni.createFrom().voidItem() : history.lastSeq(streamId).chain(last -> {
                        LOG.infof("stream %s: its gateway replica %s is gone; ending it as incomplete", streamId, known.replica());
                        return history.endOrphan(streamId, last + 1, orphanTerminal(known, last + 1));
                    }))
                    .subscribe().with(ok -> doneChecking(), failure -> {
                        LOG.debugf("stream %s: could not end it for its lost replica (%s)", streamId, failure.getMessage());
                        doneChecking();
                    });
        }

        private synchronized void doneChecking() {
            checkingReplica = false;
        }

        private String orphanTerminal(StreamHistory.Meta known, long seq) {
            com.fasterxml.jackson.databind.node.ObjectNode event = messages.mapper().createObjectNode()
                    .put("request_id", known.requestId()).put("stream_id", streamId).put("epoch", known.epoch())
                    .put("seq", seq).put("status", "complete").put("finish_reason", "incomplete");
            event.put("reason", "the gateway replica running this stream stopped");
            return messages.encode(event);
        }

        synchronized void refetchAll() {
            for (Subscriber subscriber : List.copyOf(subscribers)) {
                fetch(subscriber, false);
            }
        }

        synchronized boolean has(String connectionId) {
            for (Subscriber subscriber : subscribers) {
                if (subscriber.connectionId().equals(connectionId)) {
                    return true;
                }
            }
            return false;
        }

        void leave(String connectionId) {
            synchronized (this) {
                for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
                    Subscriber subscriber = it.next();
                    if (subscriber.connectionId().equals(connectionId)) {
                        it.remove();
                        fetching.remove(subscriber);
                    }
                }
            }
            closeIfUnwatched();
        }

        private void closeIfUnwatched() {
            synchronized (this) {
                if (closed || joining > 0 || !subscribers.isEmpty()) {
                    return;
                }
                closed = true;
            }
            feeds.remove(streamId, this);
            pubsub.unsubscribe(channel, handler);
        }
    }
}
