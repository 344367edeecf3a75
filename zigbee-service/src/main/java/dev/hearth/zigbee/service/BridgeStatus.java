package dev.hearth.zigbee.service;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * What Zigbee2MQTT says about itself: {@code bridge/state} (a string in 1.x, {@code {"state":…}} in 2.x),
 * its version from {@code bridge/info} (which decides the request payloads), and whether joining is
 * permitted. Permit-join is told as a countdown of {@code permit_join} events, one a second, whether
 * the bridge gives the remaining seconds (1.x {@code permit_join_timeout}) or the end time (2.x
 * {@code permit_join_end}).
 */
@ApplicationScoped
public class BridgeStatus {

    private static final Logger LOG = Logger.getLogger(BridgeStatus.class);

    private final Vertx vertx;
    private final DeviceEvents events;
    private volatile String state = "unknown";
    private volatile String version = "";
    private volatile int major = 2;
    private boolean permitOpen;
    private long permitEndMs;
    private long ticker = -1;

    public BridgeStatus(Vertx vertx, DeviceEvents events) {
        this.vertx = vertx;
        this.events = events;
    }

    public boolean online() {
        return "online".equals(state);
    }

    public String state() {
        return state;
    }

    public String version() {
        return version;
    }

    /** Zigbee2MQTT's major version; 2 until {@code bridge/info} says otherwise. */
    public int major() {
        return major;
    }

    public void onState(String newState) {
        String normalized = newState.toLowerCase(Locale.ROOT);
        String old = state;
        state = normalized;
        if (!normalized.equals(old)) {
            LOG.infof("Zigbee2MQTT bridge is %s", normalized);
            events.publish("bridge_state", "", "", new JsonObject().put("state", normalized));
        }
    }

    public void onInfo(JsonObject info) {
        Object v = info.getValue("version");
        if (v instanceof String s && !s.isBlank()) {
            version = s;
            major = majorOf(s);
        }
        boolean open = Boolean.TRUE.equals(info.getValue("permit_join"));
        long end = 0;
        if (open && info.getValue("permit_join_end") instanceof Number endMs) {
            end = endMs.longValue();
        } else if (open && info.getValue("permit_join_timeout") instanceof Number seconds) {
            end = System.currentTimeMillis() + seconds.longValue() * 1000;
        }
        permitJoin(open, end);
    }

    static int majorOf(String version) {
        try {
            return Integer.parseInt(version.strip().replaceFirst("^v", "").split("[.\\-]")[0]);
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    /** Open with an end time (0: until closed) or closed, from bridge/info or a confirmed request. */
    public void permitJoin(boolean open, long endMs) {
        boolean announceNow;
        synchronized (this) {
            announceNow = open != permitOpen;
            permitOpen = open;
            permitEndMs = open ? endMs : 0;
            if (open && ticker < 0) {
                ticker = vertx.setPeriodic(1000, id -> tick());
            } else if (!open && ticker >= 0) {
                vertx.cancelTimer(ticker);
                ticker = -1;
            }
        }
        if (announceNow) {
            announce();
        }
    }

    private void tick() {
        boolean expired;
        synchronized (this) {
            expired = permitOpen && permitEndMs > 0 && permitEndMs <= System.currentTimeMillis();
        }
        if (expired) {
            permitJoin(false, 0);
        } else {
            announce();
        }
    }

    private void announce() {
        JsonObject payload;
        synchronized (this) {
            payload = new JsonObject().put("permit_join", permitOpen);
            if (permitOpen && permitEndMs > 0) {
                payload.put("remaining_s", Math.max(0, (permitEndMs - System.currentTimeMillis() + 999) / 1000));
            } else if (!permitOpen) {
                payload.put("remaining_s", 0);
            }
        }
        events.publish("permit_join", "", "", payload);
    }
}
