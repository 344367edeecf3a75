package dev.hearth.infra;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the Redis protocol (RESP2) for probing and cleaning up keys. A client library
 * would be heavier than this, and it would land on every service's test classpath through the
 * test resources.
 */
public final class RespClient implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 3000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Connects, authenticates and selects the URL's database. */
    public static RespClient connect(RedisUrl url) throws IOException {
        if (url.tls()) {
            throw new IOException("rediss:// (TLS) is not supported by this minimal client: " + url.redacted());
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(url.host(), url.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            RespClient client = new RespClient(socket);
            if (url.password() != null) {
                if (url.user() != null) {
                    client.call("AUTH", url.user(), url.password());
                } else {
                    client.call("AUTH", url.password());
                }
            }
            if (url.database() != 0) {
                client.call("SELECT", String.valueOf(url.database()));
            }
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends one command; returns a String (simple/bulk string), Long, null, or List of those.
     *
     * @throws RedisError when the server answers with an error
     */
    public Object call(String... args) throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            command.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            command.write(bytes);
            command.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(command.toByteArray());
        out.flush();
        return readReply();
    }

    private Object readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length + 2); // payload + CRLF
                return new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readReply());
                }
                return items;
            }
            case -1:
                throw new IOException("Redis closed the connection");
            default:
                throw new IOException("unexpected RESP type byte " + type);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\r') {
                in.read(); // '\n'
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An error reply from the server ({@code -ERR ...}). */
    public static final class RedisError extends IOException {
        public RedisError(String message) {
            super(message);
        }
    }
}
