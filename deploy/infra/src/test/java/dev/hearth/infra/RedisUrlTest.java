package dev.hearth.infra;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RedisUrlTest {

    @Test
    void parsesHostAndDefaultPort() {
        RedisUrl url = RedisUrl.parse("redis://localhost");
        assertEquals("localhost", url.host());
        assertEquals(6379, url.port());
        assertNull(url.password());
        assertEquals(0, url.database());
    }

    @Test
    void parsesCredentialsAndDatabase() {
        RedisUrl url = RedisUrl.parse("redis://app:s%40cret@redis.lan:6380/2");
        assertEquals("app", url.user());
        assertEquals("s@cret", url.password());
        assertEquals(6380, url.port());
        assertEquals(2, url.database());
        assertEquals("redis://app:***@redis.lan:6380/2", url.redacted());
    }

    @Test
    void passwordOnlyRoundTrips() {
        assertEquals("redis://:pw@h:1", RedisUrl.parse("redis://:pw@h:1").toString());
    }

    @Test
    void keepsTls() {
        RedisUrl url = RedisUrl.parse("rediss://cache.example:6380");
        assertEquals(true, url.tls());
        assertEquals("rediss://cache.example:6380", url.toString());
    }

    @Test
    void rejectsOtherSchemes() {
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("http://h:1"));
    }

    @Test
    void escapesGlobCharactersInPrefixes() {
        assertEquals("a\\*b\\?c\\[d\\]", RedisKeys.globEscape("a*b?c[d]"));
    }
}
