package dev.hearth.config;

/** Per-key limits the gateway enforces; 0 means "the gateway's configured default". */
public record ApiKeyLimits(int messagesPerMinute, int maxConcurrentStreams, int maxConnections) {

    public static final ApiKeyLimits GATEWAY_DEFAULTS = new ApiKeyLimits(0, 0, 0);
}
