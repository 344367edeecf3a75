package dev.hearth.llm.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** Reads a provider's "come back later" hint into milliseconds. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * @param retryAfterMs OpenAI's {@code retry-after-ms} header (preferred: finer), or null
     * @param retryAfter   the standard {@code Retry-After}: delta-seconds or an HTTP date, or null
     * @param now          the clock reading an HTTP date is measured from
     * @return the wait in ms (never negative), or empty when no usable hint was given
     */
    public static OptionalLong toMillis(String retryAfterMs, String retryAfter, Instant now) {
        OptionalLong fine = parseNumber(retryAfterMs, 1);
        if (fine.isPresent()) {
            return fine;
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return OptionalLong.empty();
        }
        OptionalLong seconds = parseNumber(retryAfter, 1000);
        if (seconds.isPresent()) {
            return seconds;
        }
        try {
            Instant at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return OptionalLong.of(Math.max(0, Duration.between(now, at).toMillis()));
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    // Fractional values occur ("retry-after-ms: 1500.5", "Retry-After: 0.5" from some proxies).
    private static OptionalLong parseNumber(String value, long scale) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            double number = Double.parseDouble(value.strip());
            if (Double.isNaN(number) || Double.isInfinite(number) || number < 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil(number * scale));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
