package dev.hearth.config.aggregator;

/** Where a connection to an upstream MCP server stands. */
public enum UpstreamState {
    /** Initializing (first time or again after a failure). */
    CONNECTING,
    /** Initialized; its tools are in the catalog. */
    READY,
    /** The last attempt failed ({@code last_error} says why); another follows after a backoff. */
    FAILED,
    /** Switched off by an operator: no connection, no tools. */
    DISABLED
}
