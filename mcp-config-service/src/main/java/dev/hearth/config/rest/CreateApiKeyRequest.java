package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.ApiKey;
import dev.hearth.config.ApiKeyLimits;
import dev.hearth.config.NewApiKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** {@code POST /admin/v1/api-keys}: {@code {name, user_id, scopes, limits?, expires_at?}}. */
public record CreateApiKeyRequest(
        String name,
        @JsonProperty("user_id") String userId,
        List<String> scopes,
        LimitsJson limits,
        @JsonProperty("expires_at") String expiresAt) {

    static final int MAX_NAME_LENGTH = 100;
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    /** The validated request, or a 400 {@code invalid_request} naming every problem at once. */
    NewApiKey validate(Instant now) {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("name is required");
        } else if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            problems.add("name must be at most " + MAX_NAME_LENGTH + " characters");
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            problems.add("name must not contain control characters");
        }
        if (userId == null || userId.isEmpty()) {
            problems.add("user_id is required");
        } else if (!USER_ID.matcher(userId).matches()) {
            problems.add("user_id must be 1 to 128 of A-Z a-z 0-9 . _ @ -");
        }
        List<String> granted = List.of();
        if (scopes == null || scopes.isEmpty()) {
            problems.add("scopes is required: one or more of \"chat\", \"admin\"");
        } else if (!ApiKey.SCOPES.containsAll(scopes)) {
            problems.add("scopes may only contain \"chat\" and \"admin\"");
        } else {
            granted = List.copyOf(new LinkedHashSet<>(scopes));
        }
        ApiKeyLimits checkedLimits = ApiKeyLimits.GATEWAY_DEFAULTS;
        if (limits != null) {
            int perMinute = limit("limits.messages_per_minute", limits.messagesPerMinute(), problems);
            int streams = limit("limits.max_concurrent_streams", limits.maxConcurrentStreams(), problems);
            int connections = limit("limits.max_connections", limits.maxConnections(), problems);
            checkedLimits = new ApiKeyLimits(perMinute, streams, connections);
        }
        Instant expires = null;
        if (expiresAt != null) {
            try {
                expires = OffsetDateTime.parse(expiresAt).toInstant();
                if (!expires.isAfter(now)) {
                    problems.add("expires_at must be in the future");
                }
            } catch (DateTimeParseException e) {
                problems.add("expires_at must be an RFC 3339 date-time such as 2030-01-31T12:00:00Z");
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(Problem.invalidRequest(String.join("; ", problems)));
        }
        return new NewApiKey(name, userId, granted, checkedLimits, expires);
    }

    private static int limit(String field, Integer value, List<String> problems) {
        if (value == null) {
            return 0;
        }
        if (value < 0) {
            problems.add(field + " must be 0 (the gateway's default) or more");
        }
        return Math.max(value, 0);
    }
}
