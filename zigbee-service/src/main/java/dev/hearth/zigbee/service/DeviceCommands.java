package dev.hearth.zigbee.service;

import static dev.hearth.zigbee.service.CommandRefused.Reason.BRIDGE_REFUSED;
import static dev.hearth.zigbee.service.CommandRefused.Reason.BRIDGE_TIMEOUT;
import static dev.hearth.zigbee.service.CommandRefused.Reason.CONFIRMATION_REQUIRED;
import static dev.hearth.zigbee.service.CommandRefused.Reason.NOT_FOUND;
import static dev.hearth.zigbee.service.CommandRefused.Reason.UNAVAILABLE;

import dev.hearth.zigbee.ZigbeeDevice;
import dev.hearth.zigbee.client.HomeDirectory;
import dev.hearth.zigbee.config.ZigbeeConfig;
import dev.hearth.zigbee.expose.ExposeSchema;
import dev.hearth.zigbee.expose.InvalidStateException;
import dev.hearth.zigbee.expose.RiskClass;
import dev.hearth.zigbee.expose.StateMatch;
import dev.hearth.zigbee.expose.StateValidator;
import dev.hearth.zigbee.mqtt.BridgeRequests;
import dev.hearth.zigbee.mqtt.BridgeRequests.BridgeRequestFailed;
import dev.hearth.zigbee.mqtt.BrokerConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Commands that say whether they worked. Zigbee2MQTT acknowledges nothing, so a state change is
 * published to {@code <device>/set} and the device's next state reports are watched for every
 * requested value; without one in {@code report-wait}, the readable properties (access bit 4) are
 * asked for with {@code <device>/get}. The answer is CONFIRMED, OPTIMISTIC_ONLY (nothing came back and
 * nothing can be read: the message says so) or TIMEOUT. Also permit-join and rename through the
 * bridge's request API.
 */
@ApplicationScoped
public class DeviceCommands {

    private final DeviceRegistry registry;
    private final BridgeStatus bridge;
    private final BrokerConnection broker;
    private final BridgeRequests requests;
    private final ZigbeeConfig config;
    private final Set<String> confirmClasses;
    private final MeterRegistry meters;
    private final HomeDirectory directory;

    public DeviceCommands(DeviceRegistry registry, BridgeStatus bridge, BrokerConnection broker,
            BridgeRequests requests, ZigbeeConfig config, MeterRegistry meters, HomeDirectory directory) {
        this.meters = meters;
        this.directory = directory;
        this.registry = registry;
        this.bridge = bridge;
        this.broker = broker;
        this.requests = requests;
        this.config = config;
        this.confirmClasses = config.confirmClasses().stream().map(c -> c.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    public ZigbeeDevice device(String nameOrIeee) {
        return registry.find(nameOrIeee).orElseThrow(() -> new CommandRefused(NOT_FOUND,
                "no Zigbee device is named '" + nameOrIeee + "' (by friendly name or IEEE address)"));
    }

    /**
     * The class from the exposes, or else the one an admin gave the device in Hearth's device list.
     */
    public String riskClass(ZigbeeDevice device) {
        String derived = RiskClass.of(device.exposes()).id();
        return RiskClass.NORMAL.id().equals(derived) ? directory.riskClass(device.ieeeAddress()).orElse(derived)
                : derived;
    }

    /** Either class (derived or configured) in {@code confirm-classes} makes the device risky. */
    public boolean needsConfirmation(ZigbeeDevice device) {
        return confirmClasses.contains(RiskClass.of(device.exposes()).id())
                || directory.riskClass(device.ieeeAddress()).map(confirmClasses::contains).orElse(false);
    }

    /**
     * Validates, applies the risk policy and sends the state; fails with {@link CommandRefused} or
     * {@link InvalidStateException} before anything is published.
     *
     * @param timeout zero or negative: {@code hearth.zigbee.confirm-timeout}
     */
    public Uni<CommandReport> setState(String nameOrIeee, JsonObject requested, boolean confirmed, Duration timeout) {
        return Uni.createFrom().deferred(() -> {
            ZigbeeDevice device = device(nameOrIeee);
            JsonObject state = StateValidator.validate(device.exposes(), requested);
            if (needsConfirmation(device) && !confirmed) {
                throw new CommandRefused(CONFIRMATION_REQUIRED, "confirmation_required: '" + device.friendlyName()
                        + "' is a risky device (" + riskClass(device) + "); ask the user, then send the"
                        + " command again with the confirmation set");
            }
            requireBridge();
            return send(device, state, effective(timeout)).invoke(report -> meters.counter("hearth.zigbee.commands",
                    "outcome", report.outcome().id()).increment());
        });
    }

    private Duration effective(Duration requested) {
        if (requested == null || requested.isZero() || requested.isNegative()) {
            return config.confirmTimeout();
        }
        return requested.compareTo(config.maxConfirmTimeout()) > 0 ? config.maxConfirmTimeout() : requested;
    }

    private void requireBridge() {
        if (!broker.connected()) {
            throw new CommandRefused(UNAVAILABLE, "not connected to the MQTT broker at " + broker.endpoint()
                    + (broker.lastError().isEmpty() ? "" : " (" + broker.lastError() + ")"));
        }
        if (!bridge.online()) {
            throw new CommandRefused(UNAVAILABLE, "the Zigbee2MQTT bridge is " + bridge.state()
                    + ": commands cannot reach the devices");
        }
    }

    private Uni<CommandReport> send(ZigbeeDevice device, JsonObject state, Duration timeout) {
        String name = device.friendlyName();
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration firstWait = min(config.reportWait(), timeout.dividedBy(2));
        StateWaiter waiter = registry.awaitState(device.ieeeAddress(),
                reported -> StateMatch.missing(device.exposes(), state, reported).isEmpty());
        String offline = Boolean.FALSE.equals(device.available()) ? " (the device is offline)" : "";
        return broker.publish(name + "/set", state)
                .chain(() -> within(waiter, firstWait))
                .chain(matched -> {
                    if (matched != null) {
                        return Uni.createFrom().item(new CommandReport(CommandReport.Outcome.CONFIRMED, name, matched,
                                "the device reported the new state"));
                    }
                    JsonObject checkable = state.copy();
                    checkable.remove(ExposeSchema.TRANSITION);
                    List<String> readable = StateMatch.readable(device.exposes(), checkable);
                    if (readable.isEmpty()) {
                        return Uni.createFrom().item(new CommandReport(CommandReport.Outcome.OPTIMISTIC_ONLY, name,
                                current(device), "sent to '" + name + "' with the bridge online, but the device sent no"
                                        + " state report within " + firstWait.toMillis() + " ms and none of "
                                        + checkable.fieldNames() + " can be read back (no get access)" + offline));
                    }
                    JsonObject subset = new JsonObject();
                    JsonObject get = new JsonObject();
                    readable.forEach(p -> {
                        subset.put(p, checkable.getValue(p));
                        get.put(p, "");
                    });
                    waiter.narrow(reported -> StateMatch.missing(device.exposes(), subset, reported).isEmpty());
                    Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                    String unchecked = readable.size() < checkable.size()
                            ? "; " + checkable.fieldNames().stream().filter(p -> !readable.contains(p)).toList()
                                    + " cannot be read back"
                            : "";
                    return broker.publish(name + "/get", get)
                            .chain(() -> within(waiter, left))
                            .map(read -> read != null
                                    ? new CommandReport(CommandReport.Outcome.CONFIRMED, name, read,
                                            "confirmed by reading " + readable + " back" + unchecked)
                                    : new CommandReport(CommandReport.Outcome.TIMEOUT, name, current(device),
                                            "'" + name + "' did not report " + subset.encode() + " within "
                                                    + timeout.toMillis() + " ms, not even when asked" + offline));
                })
                .onTermination().invoke(waiter::close);
    }

    private JsonObject current(ZigbeeDevice device) {
        return registry.find(device.ieeeAddress()).map(ZigbeeDevice::state).orElse(device.state());
    }

    /** The matching state, or null when none came in time; never cancels the waiter's future. */
    private static Uni<JsonObject> within(StateWaiter waiter, Duration wait) {
        return Uni.createFrom().<JsonObject>emitter(emitter -> waiter.matched().whenComplete((state, failure) -> {
            if (state != null) {
                emitter.complete(state);
            }
        })).ifNoItem().after(wait).recoverWithItem(() -> null);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Opens joining for {@code seconds} (1–254) or closes it (0), optionally through one router. */
    public Uni<JsonObject> permitJoin(int seconds, String device) {
        return Uni.createFrom().deferred(() -> {
            if (seconds < 0 || seconds > 254) {
                throw new InvalidStateException(InvalidStateException.INVALID_ARGUMENTS,
                        "`seconds` must be between 0 (close) and 254, got " + seconds);
            }
            JsonObject payload = new JsonObject();
            if (bridge.major() < 2) {
                payload.put("value", seconds > 0);
            }
            payload.put("time", seconds);
            if (device != null && !device.isBlank()) {
                payload.put("device", device(device).friendlyName());
            }
            requireBridge();
            return bridgeRequest("permit_join", payload).invoke(data -> {
                long open = data.getValue("time") instanceof Number t ? t.longValue()
                        : Boolean.FALSE.equals(data.getValue("value")) ? 0 : seconds;
                bridge.permitJoin(open > 0, open > 0 ? System.currentTimeMillis() + open * 1000 : 0);
            });
        });
    }

    /** Renames through the bridge; the registry follows the confirmed rename, state included. */
    public Uni<JsonObject> rename(String nameOrIeee, String newName) {
        return Uni.createFrom().deferred(() -> {
            ZigbeeDevice device = device(nameOrIeee);
            if (newName == null || newName.isBlank() || newName.endsWith("/") || newName.startsWith("/")
                    || newName.contains("#") || newName.contains("+")) {
                throw new InvalidStateException(InvalidStateException.INVALID_ARGUMENTS,
                        "`new_name` must be a non-empty name without # or + and not starting or ending with /");
            }
            requireBridge();
            return bridgeRequest("device/rename", new JsonObject().put("from", device.friendlyName())
                    .put("to", newName.strip()));
        });
    }

    private Uni<JsonObject> bridgeRequest(String path, JsonObject payload) {
        return requests.request(path, payload).onFailure(BridgeRequestFailed.class).transform(f -> new CommandRefused(
                ((BridgeRequestFailed) f).timedOut() ? BRIDGE_TIMEOUT : BRIDGE_REFUSED, f.getMessage()));
    }
}
