package dev.hearth.infra;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpProbeTest {

    @Test
    void seesAListeningPort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(TcpProbe.isOpen("127.0.0.1", server.getLocalPort()));
        }
    }

    @Test
    void seesNothingOnAFreePort() {
        assertFalse(TcpProbe.isOpen("127.0.0.1", FreePorts.pick()));
    }

    @Test
    void distinctPortsAreDistinct() {
        int[] ports = FreePorts.pickDistinct(7);
        assertTrue(java.util.Arrays.stream(ports).distinct().count() == 7);
    }

    @Test
    void unresolvableHostIsNotOpen() {
        assertFalse(TcpProbe.isOpen("no-such-host.invalid", 5432));
    }

    @Test
    void preferringKeepsAFreePortAndAvoidsABusyOne() throws Exception {
        int free = FreePorts.pick();
        assertTrue(FreePorts.preferring("127.0.0.1", free) == free);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(FreePorts.preferring("127.0.0.1", busy.getLocalPort()) != busy.getLocalPort());
        }
    }
}
