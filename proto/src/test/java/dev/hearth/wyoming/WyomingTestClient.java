package dev.hearth.wyoming;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain blocking Wyoming client for tests: writes raw frames and reads events (shared by the services' tests through this module's test-jar). */
public final class WyomingTestClient implements AutoCloseable {

    public record Event(String type, JsonObject data, byte[] payload) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public WyomingTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public void raw(String text) throws IOException {
        raw(text.getBytes(StandardCharsets.UTF_8));
    }

    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The data goes as a separate data section ({@code data_length}), as the Python library writes it. */
    public void send(String type, JsonObject data) throws IOException {
        byte[] body = data.encode().getBytes(StandardCharsets.UTF_8);
        raw(new JsonObject().put("type", type).put("version", "1.5.4").put("data_length", body.length).encode() + "\n");
        raw(body);
    }

    /** An event with a payload; the data goes inline in the header ({@code inline}) or as a data section. */
    public void send(String type, JsonObject data, byte[] payload, boolean inline) throws IOException {
        JsonObject header = new JsonObject().put("type", type).put("version", "1.5.4");
        byte[] body = data.encode().getBytes(StandardCharsets.UTF_8);
        if (inline) {
            header.put("data", data);
        } else {
            header.put("data_length", body.length);
        }
        if (payload != null) {
            header.put("payload_length", payload.length);
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes((header.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        if (!inline) {
            frame.writeBytes(body);
        }
        if (payload != null) {
            frame.writeBytes(payload);
        }
        raw(frame.toByteArray());
    }

    public Event read() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.write(b);
        }
        JsonObject header = new JsonObject(line.toString(StandardCharsets.UTF_8));
        JsonObject data = header.getJsonObject("data", new JsonObject());
        int dataLength = header.getInteger("data_length", 0);
        if (dataLength > 0) {
            byte[] bytes = new byte[dataLength];
            in.readFully(bytes);
            data.mergeIn(new JsonObject(new String(bytes, StandardCharsets.UTF_8)));
        }
        byte[] payload = new byte[header.getInteger("payload_length", 0)];
        in.readFully(payload);
        return new Event(header.getString("type"), data, payload);
    }

    /** True when the server closed the connection (end of stream) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
