package dev.hearth.zigbee.mqtt;

import dev.hearth.zigbee.config.ZigbeeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zigbee2MQTT's request/response API: a request goes to {@code bridge/request/<path>} with a
 * {@code transaction} of ours, and the {@code bridge/response/<path>} echoing it completes the pending
 * request; {@code "status":"error"} fails it with the bridge's message, and no answer within the
 * timeout fails it too (the pending entry is dropped either way).
 */
@ApplicationScoped
public class BridgeRequests {

    private final BrokerConnection broker;
    private final Duration timeout;
    private final String prefix = "hearth-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    public BridgeRequests(BrokerConnection broker, ZigbeeConfig config) {
        this.broker = broker;
        this.timeout = config.requestTimeout();
    }

    /** The response's {@code data}; fails with {@link BridgeRequestFailed} on an error or no answer. */
    public Uni<JsonObject> request(String path, JsonObject payload) {
        return Uni.createFrom().deferred(() -> {
            String transaction = prefix + counter.incrementAndGet();
            CompletableFuture<JsonObject> answer = new CompletableFuture<>();
            pending.put(transaction, answer);
            return broker.publish("bridge/request/" + path, payload.copy().put("transaction", transaction))
                    .chain(() -> Uni.createFrom().completionStage(answer))
                    .ifNoItem().after(timeout).failWith(() -> new BridgeRequestFailed("Zigbee2MQTT did not answer "
                            + "bridge/request/" + path + " within " + timeout.toMillis() + " ms", true))
                    .onTermination().invoke(() -> pending.remove(transaction));
        });
    }

    /** A {@code bridge/response/*}; answers that are not ours (another client's, or late) are ignored. */
    void onResponse(String path, JsonObject response) {
        Object transaction = response.getValue("transaction");
        if (transaction == null) {
            return;
        }
        CompletableFuture<JsonObject> answer = pending.remove(String.valueOf(transaction));
        if (answer == null) {
            return;
        }
        if ("error".equals(response.getString("status"))) {
            answer.completeExceptionally(new BridgeRequestFailed("Zigbee2MQTT refused bridge/request/" + path + ": "
                    + response.getValue("error", "no reason given"), false));
        } else {
            answer.complete(response.getValue("data") instanceof JsonObject data ? data : new JsonObject());
        }
    }

    int pendingCount() {
        return pending.size();
    }

    /** The bridge said no ({@link #timedOut()} false) or said nothing in time. */
    public static final class BridgeRequestFailed extends RuntimeException {
        private final boolean timedOut;

        public BridgeRequestFailed(String message, boolean timedOut) {
            super(message, null, false, false);
            this.timedOut = timedOut;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

}
