package dev.hearth.gateway.ws;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.config.GatewayConfig.SlowConsumerPolicy;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
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
        return outboxes.computeIfAbsent(connection.id(), id -> newOutbox(connection));
    }

    public ClientOutbox outbox(WebSocketConnection connection) {
        return outboxes.computeIfAbsent(connection.id(), id -> newOutbox(connection));
    }

    public Collection<ClientOutbox> all() {
        return outboxes.values();
    }

    public void close(WebSocketConnection connection) {
        ClientOutbox outbox = outboxes.remove(connection.id());
        if (outbox != null) {
            outbox.close();
        }
    }

    private ClientOutbox newOutbox(WebSocketConnection connection) {
        return new ClientOutbox(connection, config.sendBufferMessages(),
                config.streams().slowConsumerPolicy() == SlowConsumerPolicy.CLOSE);
    }
}
