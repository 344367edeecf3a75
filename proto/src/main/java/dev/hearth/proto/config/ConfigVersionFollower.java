package dev.hearth.proto.config;

import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Keeps a service's configuration caches in step with mcp-config-service's config version. Changes
 * arrive as {@code {version, kind, id}} on Redis Pub/Sub, which is at-most-once, so the version is
 * what makes a lost message visible:
 * <ul>
 * <li>a change one past the applied version drops what depends on it and becomes the applied version;</li>
 * <li>a gap (a version skipped), a version that went backwards or a kind the service does not know
 * → a full resync: read the source's version, then drop every cache, then take that version;</li>
 * <li>the owner calls {@link #resync} on every (re)subscription (messages published meanwhile were
 * lost) and {@link #check} on a timer, which resyncs when the source is at another version.</li>
 * </ul>
 * The source is read before the caches are dropped: whatever is cached afterwards was read after
 * that version, so nothing older survives. Pure Java and thread-safe, so router, LLM adapter and
 * gateway share it; they supply the Redis subscription, the timer and the gRPC call.
 */
public final class ConfigVersionFollower {

    /** No version applied yet (nothing read from the source). */
    public static final long UNKNOWN = -1;

    private static final System.Logger LOG = System.getLogger(ConfigVersionFollower.class.getName());

    /** What a service keeps from configuration. Called from whichever thread delivered the change. */
    public interface Caches {

        /** Whether {@link #drop} knows what a change of this kind affects; an unknown kind resyncs. */
        boolean knows(String kind);

        /** Drops what depends on one changed entity; must be cheap and idempotent. */
        void drop(String kind, String id);

        /** Drops everything kept from configuration. */
        void dropAll();
    }

    private final Supplier<? extends CompletionStage<Long>> source;
    private final Caches caches;

    // All guarded by this.
    private long applied = UNKNOWN;
    private boolean inSync;
    private boolean resyncing;
    private boolean again;
    private final TreeSet<Long> seenDuringResync = new TreeSet<>();
    private long resyncs;

    /** @param source reads the source's current version ({@code ConfigService.GetConfigVersion}) */
    public ConfigVersionFollower(Supplier<? extends CompletionStage<Long>> source, Caches caches) {
        this.source = Objects.requireNonNull(source);
        this.caches = Objects.requireNonNull(caches);
    }

    /** One change message as published by mcp-config-service. */
    public void onChange(long version, String kind, String id) {
        boolean known = kind != null && caches.knows(kind);
        String resyncBecause = null;
        synchronized (this) {
            if (resyncing) {
                // Counted once the running resync knows its version; an unknown kind needs one more.
                if (known) {
                    seenDuringResync.add(version);
                } else {
                    again = true;
                }
            } else if (!known) {
                resyncBecause = "unknown change kind '" + kind + "'";
            } else if (!inSync) {
                resyncBecause = "not in sync";
            } else if (version == applied) {
                return; // delivered twice: already applied
            } else if (version < applied) {
                resyncBecause = "version went backwards from " + applied + " to " + version;
            } else if (version > applied + 1) {
                resyncBecause = "versions " + (applied + 1) + ".." + (version - 1) + " were missed";
            } else {
                applied = version;
            }
        }
        if (known) {
            // Harmless even when a resync follows, and it narrows the window in which the entry is stale.
            caches.drop(kind, id == null ? "" : id);
        }
        if (resyncBecause != null) {
            resync(resyncBecause);
        }
    }

    /**
     * Reads the source's version, drops every cache and takes that version. A resync asked for
     * while one runs is folded into it (one more follows if a change it cannot cover came meanwhile).
     * Completes when done; a failure leaves the follower out of sync and is not thrown.
     */
    public CompletionStage<Void> resync(String why) {
        synchronized (this) {
            if (resyncing) {
                again = true;
                return CompletableFuture.completedFuture(null);
            }
            resyncing = true;
            again = false;
            seenDuringResync.clear();
        }
        LOG.log(System.Logger.Level.DEBUG, "config resync: {0}", why);
        return readSource().handle((version, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    resyncing = false;
                    inSync = false;
                    seenDuringResync.clear();
                }
                LOG.log(System.Logger.Level.WARNING, "config resync failed ({0}); caches are kept and the next "
                        + "check tries again: {1}", why, failure.getMessage());
                return false;
            }
            caches.dropAll();
            long before;
            boolean more;
            synchronized (this) {
                before = applied;
                applied = version;
                for (long seen : seenDuringResync) {
                    if (seen == applied + 1) {
                        applied = seen;
                    }
                }
                more = again || (!seenDuringResync.isEmpty() && seenDuringResync.last() > applied);
                seenDuringResync.clear();
                inSync = true;
                resyncing = false;
                again = false;
                resyncs++;
            }
            if (before != UNKNOWN && version < before) {
                LOG.log(System.Logger.Level.WARNING, "config version went backwards from {0} to {1}; "
                        + "every cache was dropped", before, version);
            }
            return more;
        }).thenCompose(more -> more ? resync("changes arrived during the last resync") : CompletableFuture.completedFuture(null));
    }

    /** The timer's check: resyncs when out of sync or when the source is at another version. */
    public CompletionStage<Void> check() {
        synchronized (this) {
            if (resyncing) {
                return CompletableFuture.completedFuture(null);
            }
            if (!inSync) {
                return resync("periodic check while out of sync");
            }
        }
        return readSource().handle((version, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.DEBUG, "config version check failed: {0}", failure.getMessage());
                return null;
            }
            synchronized (this) {
                return resyncing || version == applied ? null
                        : "the source is at version " + version + ", applied is " + applied;
            }
        }).thenCompose(why -> why == null ? CompletableFuture.completedFuture(null) : resync(why));
    }

    private CompletionStage<Long> readSource() {
        try {
            return source.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The version every cache reflects at least, or {@link #UNKNOWN}. */
    public synchronized long appliedVersion() {
        return applied;
    }

    /** False until the first resync succeeded and after a failed one, until one succeeds. */
    public synchronized boolean inSync() {
        return inSync;
    }

    /** Full resyncs done so far. */
    public synchronized long resyncs() {
        return resyncs;
    }
}
