package dev.hearth.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisTest {

    private static int freePort;
    private static Redis embedded;

    @BeforeAll
    static void startEmbeddedWhereNothingListens() {
        freePort = FreePorts.pick();
        embedded = Redis.findOrStart(RedisUrl.local(freePort));
    }

    @AfterAll
    static void stop() {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Test
    void startsEmbeddedThatAnswersPing() {
        assertTrue(embedded.endpoint().owned());
        assertEquals(freePort, embedded.url().port());
        assertTrue(Redis.answers(embedded.url()));
        assertTrue(embedded.embeddedPid().isPresent());
    }

    @Test
    void findsARunningServerInsteadOfStartingOne() {
        try (Redis found = Redis.findOrStart(embedded.url())) {
            assertFalse(found.endpoint().owned());
        }
        assertTrue(Redis.answers(embedded.url()), "closing a found server leaves it running");
    }

    @Test
    void deletesOnlyKeysUnderThePrefix() throws Exception {
        try (RespClient redis = RespClient.connect(embedded.url())) {
            for (int i = 0; i < 1200; i++) {
                redis.call("SET", "t1:key" + i, "v");
            }
            redis.call("SET", "t2:key", "keep");

            assertEquals(1200L, RedisKeys.deleteByPrefix(embedded.url(), "t1:"));

            assertEquals(List.of(), redis.call("KEYS", "t1:*"));
            assertEquals("keep", redis.call("GET", "t2:key"));
            assertNull(redis.call("GET", "t1:key0"));
        }
    }

    @Test
    void stoppingAnOwnedServerFreesItsPort() {
        Redis second = Redis.findOrStart(RedisUrl.local(FreePorts.pick()));
        int port = second.url().port();
        second.close();
        await().until(() -> !TcpProbe.isOpen("127.0.0.1", port));
    }
}
