package dev.hearth.infra;

/**
 * Where a server answers, and whether this process started it (and so must stop it).
 */
public record Endpoint(String host, int port, boolean owned) {

    public String hostAndPort() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return hostAndPort() + (owned ? " (embedded)" : " (found)");
    }
}
