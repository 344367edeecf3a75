package dev.hearth.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.config.GatewayConfig.SendErrorPolicy;
import dev.hearth.gateway.ws.ClientOutbox;
import dev.hearth.gateway.ws.ServerMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The send-error policy, for a watcher whose connection is gone while the stream goes on: kept
 * ({@code log_and_continue}), taken off ({@code deregister_client}), or the stream ends for all
 * ({@code throw}). A healthy watcher gets every event in each case.
 */
class SendErrorPolicyTest {

    /** A connection that records what is sent to it (the outbox writes through sendText). */
    private static WebSocketConnection connection(String id, List<String> sent) {
        return (WebSocketConnection) Proxy.newProxyInstance(SendErrorPolicyTest.class.getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "sendText" -> {
                        sent.add((String) args[0]);
                        yield Uni.createFrom().voidItem();
                    }
                    case "isOpen" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "connection " + id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(SendErrorPolicyTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                }));
    }

    private record Setup(ChatStream stream, List<String> healthy, List<ChatStream> ended) {
    }

    private static Setup streamWithAGoneWatcher(SendErrorPolicy policy) {
        GatewayConfig.Streams streams = config(GatewayConfig.Streams.class, Map.of(
                "sendErrorPolicy", policy, "historySize", 100, "slowConsumerPolicy", GatewayConfig.SlowConsumerPolicy.CLOSE));
        GatewayConfig gateway = config(GatewayConfig.class, Map.of("streams", streams));
        ObjectMapper json = new ObjectMapper();
        ServerMessages messages = new ServerMessages(json, gateway);
        Delivery delivery = new Delivery(gateway, messages, new SimpleMeterRegistry());
        List<ChatStream> ended = new ArrayList<>();
        ChatStream stream = new ChatStream("s-1", "e-1", "r-1", "alice", "c-healthy", false, messages, delivery,
                StreamSink.NONE, ended::add, 100, 10);

        List<String> healthy = new CopyOnWriteArrayList<>();
        stream.subscribe(new Subscriber(new ClientOutbox(connection("c-healthy", healthy), 100, true), "r-1", -1), null);
        ClientOutbox goneOutbox = new ClientOutbox(connection("c-gone", new ArrayList<>()), 100, true);
        stream.subscribe(new Subscriber(goneOutbox, "sub", -1), null);
        goneOutbox.close(); // its connection went away
        return new Setup(stream, healthy, ended);
    }

    @Test
    void logAndContinueKeepsTheWatcher() {
        Setup setup = streamWithAGoneWatcher(SendErrorPolicy.LOG_AND_CONTINUE);
        setup.stream().chunk("text", "one");
        setup.stream().chunk("text", "two");
        assertThat(setup.stream().clientCount()).isEqualTo(2);
        assertThat(setup.healthy()).hasSize(2);
        assertThat(setup.stream().isEnded()).isFalse();
    }

    @Test
    void deregisterClientTakesOnlyThatWatcherOff() {
        Setup setup = streamWithAGoneWatcher(SendErrorPolicy.DEREGISTER_CLIENT);
        setup.stream().chunk("text", "one");
        setup.stream().chunk("text", "two");
        assertThat(setup.stream().clientCount()).isEqualTo(1);
        assertThat(setup.healthy()).hasSize(2);
        assertThat(setup.stream().isEnded()).isFalse();
    }

    @Test
    void throwEndsTheStreamForEveryoneWithOneTerminal() {
        Setup setup = streamWithAGoneWatcher(SendErrorPolicy.THROW);
        setup.stream().chunk("text", "one");
        setup.stream().chunk("text", "two"); // after the end: not sent
        assertThat(setup.stream().isEnded()).isTrue();
        assertThat(setup.ended()).hasSize(1);
        assertThat(setup.healthy()).hasSize(2);
        assertThat(setup.healthy().get(0)).contains("\"seq\":0").contains("\"status\":\"chunk\"");
        assertThat(setup.healthy().get(1)).contains("\"seq\":1").contains("\"status\":\"error\"").contains("\"code\":\"internal\"");
    }
}
