package dev.hearth.llm.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void readsSecondsHttpDatesAndMilliseconds() {
        assertEquals(OptionalLong.of(2000), RetryAfter.toMillis(null, "2", NOW));
        assertEquals(OptionalLong.of(500), RetryAfter.toMillis(null, " 0.5 ", NOW));
        assertEquals(OptionalLong.of(30_000), RetryAfter.toMillis(null, "Sat, 01 Mar 2025 12:00:30 GMT", NOW));
        assertEquals(OptionalLong.of(0), RetryAfter.toMillis(null, "Sat, 01 Mar 2025 11:59:00 GMT", NOW));
        assertEquals(OptionalLong.of(1234), RetryAfter.toMillis("1234", "2", NOW));
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertEquals(OptionalLong.empty(), RetryAfter.toMillis(null, null, NOW));
        assertEquals(OptionalLong.empty(), RetryAfter.toMillis("", "soon", NOW));
        assertEquals(OptionalLong.empty(), RetryAfter.toMillis(null, "-3", NOW));
        assertEquals(OptionalLong.of(3000), RetryAfter.toMillis("NaN", "3", NOW));
    }
}
