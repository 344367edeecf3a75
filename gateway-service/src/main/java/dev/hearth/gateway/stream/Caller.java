package dev.hearth.gateway.stream;

/** Who asks something of a stream: the user behind the connection, and whether the key is an admin's. */
public record Caller(String userId, boolean admin) {
}
