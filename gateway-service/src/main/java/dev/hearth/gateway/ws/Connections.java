package dev.hearth.gateway.ws;

import dev.hearth.gateway.config.GatewayConfig;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The outbox of every open connection, by connection id. */
@ApplicationScoped
public class Connections {

    private final Map<String, ClientOutbox> outboxes = new ConcurrentHashMap<>();
    private final GatewayConfig config;

    public Connections(GatewayConfig config) {
        this.config = config;
    }

    public ClientOutbox open(WebSocketConnection connection) {
        ClientOutbox outbox = new ClientOutbox(connection, config.sendBufferMessages());
        outboxes.put(connection.id(), outbox);
        return outbox;
    }

    public ClientOutbox outbox(WebSocketConnection connection) {
        return outboxes.computeIfAbsent(connection.id(), id -> new ClientOutbox(connection, config.sendBufferMessages()));
    }

    public void close(WebSocketConnection connection) {
        ClientOutbox outbox = outboxes.remove(connection.id());
        if (outbox != null) {
            outbox.close();
        }
    }
}
