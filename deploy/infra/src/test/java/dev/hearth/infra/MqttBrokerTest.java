package dev.hearth.infra;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttBrokerTest {

    // MQTT 3.1.1 CONNECT, clean session, keep-alive 10 s, client id "t", no credentials.
    private static final byte[] CONNECT = {
            0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 10, 0, 1, 't'};
    // CONNACK, no session present, return code 0 (accepted).
    private static final byte[] CONNACK_ACCEPTED = {0x20, 2, 0, 0};

    @Test
    void startsEmbeddedThatAcceptsAnAnonymousClientAndStopsCleanly() throws Exception {
        int port = FreePorts.pick();
        try (MqttBroker broker = MqttBroker.findOrStart(new MqttSettings("127.0.0.1", port, null, null))) {
            assertTrue(broker.endpoint().owned());
            assertEquals(port, broker.endpoint().port());
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(CONNECT);
                out.flush();
                InputStream in = socket.getInputStream();
                assertArrayEquals(CONNACK_ACCEPTED, in.readNBytes(4));
            }

            try (MqttBroker found = MqttBroker.findOrStart(new MqttSettings("127.0.0.1", port, "u", "p"))) {
                assertFalse(found.endpoint().owned());
                assertEquals("u", found.username());
            }
        }
        await().until(() -> !TcpProbe.isOpen("127.0.0.1", port));
    }
}
