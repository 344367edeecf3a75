package dev.hearth.config.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hearth.config.ApiKeyLimits;

/** A key's limits on the wire; 0 (or absent in a request) means "the gateway's default". */
public record LimitsJson(
        @JsonProperty("messages_per_minute") Integer messagesPerMinute,
        @JsonProperty("max_concurrent_streams") Integer maxConcurrentStreams,
        @JsonProperty("max_connections") Integer maxConnections) {

    static LimitsJson of(ApiKeyLimits limits) {
        return new LimitsJson(limits.messagesPerMinute(), limits.maxConcurrentStreams(), limits.maxConnections());
    }
}
