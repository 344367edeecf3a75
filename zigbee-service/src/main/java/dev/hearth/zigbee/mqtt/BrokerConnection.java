package dev.hearth.zigbee.mqtt;

import dev.hearth.zigbee.config.MqttConfig;
import dev.hearth.zigbee.config.ZigbeeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The one MQTT connection to Zigbee2MQTT's broker (Vert.x MQTT client: the base topic's whole tree
 * under one subscription, publishes to any device topic). A lost connection is retried with
 * jittered exponential backoff and the subscription made again, which also brings every retained
 * bridge and device topic back, so the registry resyncs by itself. Readiness reports
 * {@link #connected()}.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);

    private final Vertx vertx;
    private final MqttConfig config;
    private final String baseTopic;
    private final BridgeMessageHandler handler;
    private final String clientId;
    private final AtomicBoolean reconnectScheduled = new AtomicBoolean();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile MqttClient client;
    private volatile boolean connected;
    private volatile boolean stopping;
    private volatile String lastError = "";
    private volatile long lastRead = System.nanoTime();
    private int failures;

    public BrokerConnection(Vertx vertx, MqttConfig config, ZigbeeConfig zigbee, BridgeMessageHandler handler,
            MeterRegistry meters) {
        meters.gauge("hearth.zigbee.mqtt.connected", this, c -> c.connected ? 1 : 0);
        meters.gauge("hearth.zigbee.mqtt.sessions", sessions);
        this.vertx = vertx;
        this.config = config;
        this.baseTopic = zigbee.baseTopic();
        this.handler = handler;
        this.clientId = config.clientId().orElse("hearth-zigbee-" + UUID.randomUUID().toString().substring(0, 8));
    }

    void start(@Observes StartupEvent event) {
        connect();
        long keepAliveMs = Math.max(1000, config.keepAlive().toMillis());
        vertx.setPeriodic(keepAliveMs, id -> checkAlive(keepAliveMs));
    }

    /**
     * A broker that vanished without closing the socket never answers again. A live one answers
     * every write (PUBACK) and every keep-alive ping (PINGRESP, sent after a keep-alive period
     * without writes), so nothing read for two periods and a bit means it is gone: close, reconnect.
     */
    private void checkAlive(long keepAliveMs) {
        MqttClient current = client;
        long silentMs = (System.nanoTime() - lastRead) / 1_000_000;
        if (connected && current != null && silentMs > 2 * keepAliveMs + 5000) {
            LOG.warnf("The MQTT broker at %s has not answered for %d ms; reconnecting", endpoint(), silentMs);
            lastError = "no answer for " + silentMs + " ms";
            current.disconnect();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        MqttClient current = client;
        if (current != null && current.isConnected()) {
            current.disconnect();
        }
    }

    public boolean connected() {
        return connected;
    }

    public String clientId() {
        return clientId;
    }

    /** How many times a session was established (1 after the first connect). */
    public int sessions() {
        return sessions.get();
    }

    public String lastError() {
        return lastError;
    }

    public String endpoint() {
        return config.host() + ":" + config.port();
    }

    /** Publishes JSON to {@code <base topic>/<subtopic>} (QoS 1, not retained). */
    public Uni<Void> publish(String subtopic, JsonObject payload) {
        MqttClient current = client;
        if (current == null || !connected) {
            return Uni.createFrom().failure(new IllegalStateException("not connected to the MQTT broker at "
                    + endpoint()));
        }
        return Uni.createFrom().completionStage(() -> current.publish(baseTopic + "/" + subtopic,
                Buffer.buffer(payload.encode()), MqttQoS.AT_LEAST_ONCE, false, false).toCompletionStage())
                .replaceWithVoid();
    }

    private void connect() {
        if (stopping) {
            return;
        }
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(true)
                .setAutoKeepAlive(true)
                .setKeepAliveInterval((int) Math.max(1, config.keepAlive().toSeconds()))
                .setMaxMessageSize(config.maxMessageBytes())
                // Vert.x refuses a QoS 1 publish past 10 unacknowledged ones by default; commands come in bursts.
                .setMaxInflightQueue(1000);
        options.setConnectTimeout((int) config.connectTimeout().toMillis());
        config.username().ifPresent(options::setUsername);
        config.password().ifPresent(options::setPassword);
        MqttClient next = MqttClient.create(vertx, options);
        next.publishHandler(message -> {
            lastRead = System.nanoTime();
            handler.onMessage(message.topicName(), message.payload());
        });
        next.pingResponseHandler(ignored -> lastRead = System.nanoTime());
        next.publishCompletionHandler(ignored -> lastRead = System.nanoTime());
        next.closeHandler(ignored -> {
            if (client == next) {
                connected = false;
                if (!stopping) {
                    LOG.warnf("Lost the MQTT broker at %s; reconnecting", endpoint());
                    scheduleReconnect();
                }
            }
        });
        client = next;
        next.connect(config.port(), config.host()).onComplete(result -> {
            if (result.failed() || result.result().code() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                lastError = result.failed() ? String.valueOf(result.cause().getMessage())
                        : "refused: " + result.result().code();
                LOG.warnf("Could not connect to the MQTT broker at %s (%s)", endpoint(), lastError);
                if (result.succeeded()) {
                    next.disconnect();
                }
                scheduleReconnect();
                return;
            }
            synchronized (this) {
                failures = 0;
            }
            next.subscribe(baseTopic + "/#", MqttQoS.AT_LEAST_ONCE.value()).onComplete(subscribed -> {
                if (subscribed.failed()) {
                    lastError = "subscribe failed: " + subscribed.cause().getMessage();
                    next.disconnect();
                    return;
                }
                lastRead = System.nanoTime();
                connected = true;
                lastError = "";
                int session = sessions.incrementAndGet();
                LOG.infof("Connected to the MQTT broker at %s as %s (session %d), following %s/#", endpoint(),
                        clientId, session, baseTopic);
            });
        });
    }

    private void scheduleReconnect() {
        if (stopping || !reconnectScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay;
        synchronized (this) {
            long initial = Math.max(1, config.reconnectInitialBackoff().toMillis());
            long max = Math.max(initial, config.reconnectMaxBackoff().toMillis());
            long backoff = Math.min(max, initial << Math.min(failures, 20));
            failures++;
            delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        }
        vertx.setTimer(Math.max(1, delay), id -> {
            reconnectScheduled.set(false);
            connect();
        });
    }
}
