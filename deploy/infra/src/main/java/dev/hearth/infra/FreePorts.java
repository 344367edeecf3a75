package dev.hearth.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks ports nothing listens on. The port is released before the caller binds it, so another
 * process could take it in between; on a test machine that race is rare enough to accept.
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    /** Several different free ports: all are held open until every one is chosen. */
    public static int[] pickDistinct(int count) {
        ServerSocket[] held = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("not enough free local ports", e);
        } finally {
            for (ServerSocket socket : held) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket we own does not fail in practice
                    }
                }
            }
        }
    }

    /** The given port if nothing listens there, else any free one. */
    public static int preferring(String host, int port) {
        return port > 0 && !TcpProbe.isOpen(host, port) ? port : pick();
    }
}
