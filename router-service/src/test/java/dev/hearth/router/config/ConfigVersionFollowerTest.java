package dev.hearth.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.config.ConfigVersionFollower;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared version logic of router, gateway (and any other follower): plain JUnit, a scripted source. */
class ConfigVersionFollowerTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<Long>> next = new AtomicReference<>();
    private long sourceVersion = 10;
    private ConfigVersionFollower follower;

    @BeforeEach
    void inSyncAtTen() {
        follower = new ConfigVersionFollower(() -> {
            log.add("read");
            CompletableFuture<Long> scripted = next.getAndSet(null);
            return scripted != null ? scripted : CompletableFuture.completedFuture(sourceVersion);
        }, new ConfigVersionFollower.Caches() {
            @Override
            public boolean knows(String kind) {
                return Set.of("profile", "provider").contains(kind);
            }

            @Override
            public void drop(String kind, String id) {
                log.add("drop " + kind + " " + id);
            }

            @Override
            public void dropAll() {
                log.add("dropAll");
            }
        });
        assertThat(follower.appliedVersion()).isEqualTo(ConfigVersionFollower.UNKNOWN);
        assertThat(follower.inSync()).isFalse();
        follower.resync("start").toCompletableFuture().join();
        assertThat(follower.appliedVersion()).isEqualTo(10);
        assertThat(follower.inSync()).isTrue();
        assertThat(log).containsExactly("read", "dropAll"); // the version is read before anything is dropped
        log.clear();
    }

    @Test
    void changesInOrderDropWhatTheyConcernAndAdvance() {
        follower.onChange(11, "profile", "home");
        follower.onChange(12, "provider", "ollama");
        follower.onChange(12, "provider", "ollama"); // delivered twice

        assertThat(follower.appliedVersion()).isEqualTo(12);
        assertThat(log).containsExactly("drop profile home", "drop provider ollama");
        assertThat(follower.resyncs()).isEqualTo(1);
    }

    @Test
    void aSkippedVersionResyncs() {
        sourceVersion = 13;
        follower.onChange(13, "profile", "home"); // 11 and 12 were lost

        assertThat(log).containsExactly("drop profile home", "read", "dropAll");
        assertThat(follower.appliedVersion()).isEqualTo(13);
        assertThat(follower.resyncs()).isEqualTo(2);
    }

    @Test
    void aVersionGoingBackwardsResyncsAndIsTakenFromTheSource() {
        sourceVersion = 3; // the database was recreated
        follower.onChange(3, "profile", "home");

        assertThat(log).containsExactly("drop profile home", "read", "dropAll");
        assertThat(follower.appliedVersion()).isEqualTo(3);
    }

    @Test
    void anUnknownKindResyncs() {
        sourceVersion = 11;
        follower.onChange(11, "mcp_server", "lights");

        assertThat(log).containsExactly("read", "dropAll");
        assertThat(follower.appliedVersion()).isEqualTo(11);
    }

    @Test
    void changesDuringAResyncAreCountedOnceItsVersionIsKnown() {
        CompletableFuture<Long> read = new CompletableFuture<>();
        next.set(read);
        follower.resync("reconnected");
        follower.onChange(12, "profile", "a");
        follower.onChange(13, "profile", "b");
        follower.onChange(11, "profile", "old"); // published before the version was read
        read.complete(11L);

        assertThat(follower.appliedVersion()).isEqualTo(13);
        assertThat(log).containsExactly("read", "drop profile a", "drop profile b", "drop profile old", "dropAll");
        assertThat(follower.resyncs()).isEqualTo(2);
    }

    @Test
    void aGapAmongChangesDuringAResyncResyncsAgain() {
        CompletableFuture<Long> read = new CompletableFuture<>();
        next.set(read);
        follower.resync("reconnected");
        follower.onChange(13, "profile", "b"); // 12 lost
        sourceVersion = 13;
        read.complete(11L);

        assertThat(follower.appliedVersion()).isEqualTo(13);
        assertThat(follower.resyncs()).isEqualTo(3);
    }

    @Test
    void anUnknownKindDuringAResyncResyncsAgain() {
        CompletableFuture<Long> read = new CompletableFuture<>();
        next.set(read);
        follower.resync("reconnected");
        follower.onChange(12, "mcp_server", "x");
        sourceVersion = 12;
        read.complete(11L);

        assertThat(follower.appliedVersion()).isEqualTo(12);
        assertThat(follower.resyncs()).isEqualTo(3);
    }

    @Test
    void theCheckResyncsOnlyWhenTheSourceIsElsewhere() {
        follower.check().toCompletableFuture().join();
        assertThat(log).containsExactly("read");
        assertThat(follower.resyncs()).isEqualTo(1);

        sourceVersion = 14; // changes whose messages never arrived
        follower.check().toCompletableFuture().join();
        assertThat(follower.appliedVersion()).isEqualTo(14);
        assertThat(log).containsExactly("read", "read", "read", "dropAll");
    }

    @Test
    void aFailedResyncKeepsTheCachesAndTheNextCheckRetries() {
        next.set(CompletableFuture.failedFuture(new IllegalStateException("mcp-config-service unreachable")));
        follower.resync("reconnected").toCompletableFuture().join();
        assertThat(follower.inSync()).isFalse();
        assertThat(follower.appliedVersion()).isEqualTo(10);
        assertThat(log).containsExactly("read");

        sourceVersion = 12;
        follower.check().toCompletableFuture().join();
        assertThat(follower.inSync()).isTrue();
        assertThat(follower.appliedVersion()).isEqualTo(12);
        assertThat(log).containsExactly("read", "read", "dropAll");
    }

    @Test
    void aChangeWhileOutOfSyncResyncs() {
        next.set(CompletableFuture.failedFuture(new IllegalStateException("down")));
        follower.resync("reconnected").toCompletableFuture().join();
        sourceVersion = 11;
        follower.onChange(11, "profile", "home");

        assertThat(follower.inSync()).isTrue();
        assertThat(follower.appliedVersion()).isEqualTo(11);
    }
}
