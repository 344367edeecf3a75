package dev.hearth.zigbee.mqtt;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows Zigbee2MQTT's retained {@code bridge/state}. Subscribing also keeps the broker connection
 * that the service's readiness reports (the MQTT connector's health check).
 */
@ApplicationScoped
public class BridgeStateListener {

    private static final Logger LOG = Logger.getLogger(BridgeStateListener.class);

    private final AtomicReference<String> lastState = new AtomicReference<>("unknown");

    @Incoming("bridge-state")
    public void onBridgeState(byte[] payload) {
        String state = new String(payload, StandardCharsets.UTF_8);
        if (!state.equals(lastState.getAndSet(state))) {
            LOG.infof("Zigbee2MQTT bridge state: %s", state);
        }
    }

    public String lastState() {
        return lastState.get();
    }
}
