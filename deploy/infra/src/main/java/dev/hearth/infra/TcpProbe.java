package dev.hearth.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Answers "does anything accept TCP connections there?" without waiting long for a dead host. */
public final class TcpProbe {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

    private TcpProbe() {
    }

    public static boolean isOpen(String host, int port) {
        return isOpen(host, port, DEFAULT_TIMEOUT);
    }

    public static boolean isOpen(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
