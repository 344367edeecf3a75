package dev.hearth.zigbee.service;

import dev.hearth.zigbee.ZigbeeDevice;
import dev.hearth.zigbee.config.ZigbeeConfig;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The home's live model: every device Zigbee2MQTT listed, keyed by IEEE address so a rename moves
 * name, state and availability together, with its last state and availability. Retained topics reach
 * a new subscriber in any order, so states for names not (yet) listed are kept (bounded) and attached
 * when the device shows up. {@link #revision()} changes whenever the set of tools would.
 */
@ApplicationScoped
public class DeviceRegistry {

    private final DeviceEvents events;
    private final int orphanLimit;
    private final Map<String, ZigbeeDevice> byIeee = new LinkedHashMap<>();
    private final Map<String, String> ieeeByName = new HashMap<>();
    private final Set<String> groups = new HashSet<>();
    private final Map<String, JsonObject> orphanStates = new LinkedHashMap<>();
    private final Map<String, Boolean> orphanAvailability = new LinkedHashMap<>();
    private final List<StateWaiter> waiters = new CopyOnWriteArrayList<>();
    private final AtomicLong revision = new AtomicLong(1);
    private boolean listed;
    private String toolSignature = "";

    public DeviceRegistry(DeviceEvents events, ZigbeeConfig config) {
        this.events = events;
        this.orphanLimit = config.orphanStates();
    }

    /** Every device but the coordinator, in Zigbee2MQTT's order. */
    public synchronized List<ZigbeeDevice> devices() {
        return byIeee.values().stream().filter(d -> !d.isCoordinator()).toList();
    }

    /** By friendly name or IEEE address, in any case. */
    public synchronized Optional<ZigbeeDevice> find(String nameOrIeee) {
        if (nameOrIeee == null) {
            return Optional.empty();
        }
        String key = nameOrIeee.strip().toLowerCase(Locale.ROOT);
        String ieee = ieeeByName.get(key);
        return Optional.ofNullable(byIeee.get(ieee != null ? ieee : key));
    }

    public long revision() {
        return revision.get();
    }

    /** Something the tools are made of besides the device list changed (the rooms). */
    public void touch() {
        revision.incrementAndGet();
    }

    /** Whether {@code bridge/devices} has arrived: before it, unknown names are expected, not junk. */
    public synchronized boolean listed() {
        return listed;
    }

    public synchronized boolean isGroup(String name) {
        return groups.contains(name.toLowerCase(Locale.ROOT));
    }

    public synchronized void replaceGroups(Collection<String> names) {
        groups.clear();
        names.forEach(name -> groups.add(name.toLowerCase(Locale.ROOT)));
    }

    /** A new {@code bridge/devices}: keeps each known device's state and availability, reports renames. */
    public void replaceDevices(List<ZigbeeDevice> listed) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            Map<String, ZigbeeDevice> next = new LinkedHashMap<>();
            for (ZigbeeDevice fresh : listed) {
                String ieee = fresh.ieeeAddress().toLowerCase(Locale.ROOT);
                ZigbeeDevice old = byIeee.get(ieee);
                String name = fresh.friendlyName().toLowerCase(Locale.ROOT);
                JsonObject state = old != null ? old.state() : new JsonObject();
                Boolean available = old != null ? old.available() : null;
                JsonObject orphan = orphanStates.remove(name);
                if (orphan != null) {
                    state = state.copy().mergeIn(orphan);
                }
                Boolean orphanOnline = orphanAvailability.remove(name);
                if (orphanOnline != null) {
                    available = orphanOnline;
                }
                next.put(ieee, fresh.withState(state).withAvailable(available));
                if (old != null && !old.friendlyName().equals(fresh.friendlyName())) {
                    after.add(() -> events.publish("renamed", fresh.friendlyName(), fresh.ieeeAddress(),
                            new JsonObject().put("from", old.friendlyName()).put("to", fresh.friendlyName())));
                }
            }
            byIeee.clear();
            byIeee.putAll(next);
            reindex();
            this.listed = true;
            if (bumpIfToolsChanged()) {
                after.add(() -> events.publish("devices", "", "", new JsonObject().put("count", devices().size())
                        .put("revision", revision.get())));
            }
        }
        after.forEach(Runnable::run);
    }

    /** A device's state report; false when no device has that name (yet). */
    public boolean applyState(String name, JsonObject report) {
        ZigbeeDevice updated;
        synchronized (this) {
            ZigbeeDevice device = byName(name);
            if (device == null) {
                keepOrphan(orphanStates, name, orphanStates.getOrDefault(name.toLowerCase(Locale.ROOT),
                        new JsonObject()).copy().mergeIn(report));
                return false;
            }
            updated = device.withState(device.state().copy().mergeIn(report));
            byIeee.put(updated.ieeeAddress().toLowerCase(Locale.ROOT), updated);
        }
        events.publish("state", updated.friendlyName(), updated.ieeeAddress(), report);
        for (StateWaiter waiter : waiters) {
            waiter.offer(updated.ieeeAddress(), updated.state());
        }
        return true;
    }

    public boolean applyAvailability(String name, boolean online) {
        ZigbeeDevice updated;
        synchronized (this) {
            ZigbeeDevice device = byName(name);
            if (device == null) {
                keepOrphan(orphanAvailability, name, online);
                return false;
            }
            if (Boolean.valueOf(online).equals(device.available())) {
                return true;
            }
            updated = device.withAvailable(online);
            byIeee.put(updated.ieeeAddress().toLowerCase(Locale.ROOT), updated);
        }
        events.publish("availability", updated.friendlyName(), updated.ieeeAddress(),
                new JsonObject().put("state", online ? "online" : "offline"));
        return true;
    }

    /** A rename the bridge confirmed, applied before its next {@code bridge/devices}. */
    public void rename(String from, String to) {
        ZigbeeDevice renamed;
        synchronized (this) {
            ZigbeeDevice device = byName(from);
            if (device == null || device.friendlyName().equals(to)) {
                return;
            }
            renamed = device.withFriendlyName(to);
            byIeee.put(renamed.ieeeAddress().toLowerCase(Locale.ROOT), renamed);
            reindex();
            bumpIfToolsChanged();
        }
        events.publish("renamed", to, renamed.ieeeAddress(), new JsonObject().put("from", from).put("to", to));
    }

    /** A device left the network; Zigbee2MQTT's next device list will say the same. */
    public void remove(String ieee) {
        boolean removed;
        synchronized (this) {
            removed = ieee != null && byIeee.remove(ieee.toLowerCase(Locale.ROOT)) != null;
            if (removed) {
                reindex();
                bumpIfToolsChanged();
            }
        }
    }

    /** Registers a waiter for a state report of a device; close it when done. */
    public StateWaiter awaitState(String ieee, Predicate<JsonObject> condition) {
        StateWaiter[] holder = new StateWaiter[1];
        holder[0] = new StateWaiter(ieee, condition, () -> waiters.remove(holder[0]));
        waiters.add(holder[0]);
        return holder[0];
    }

    private ZigbeeDevice byName(String name) {
        String ieee = ieeeByName.get(name.toLowerCase(Locale.ROOT));
        return ieee == null ? null : byIeee.get(ieee);
    }

    private void reindex() {
        ieeeByName.clear();
        byIeee.forEach((ieee, device) -> ieeeByName.put(device.friendlyName().toLowerCase(Locale.ROOT), ieee));
    }

    private <T> void keepOrphan(Map<String, T> orphans, String name, T value) {
        orphans.put(name.toLowerCase(Locale.ROOT), value);
        while (orphans.size() > orphanLimit) {
            orphans.remove(orphans.keySet().iterator().next());
        }
    }

    /** What the tools are made of: names and exposes (not states). */
    private boolean bumpIfToolsChanged() {
        StringBuilder signature = new StringBuilder();
        byIeee.values().stream().sorted(Comparator.comparing(ZigbeeDevice::ieeeAddress)).forEach(d -> signature
                .append(d.ieeeAddress()).append('|').append(d.friendlyName()).append('|').append(d.vendor())
                .append('|').append(d.model()).append('|').append(d.exposes().encode()).append('\n'));
        String now = signature.toString();
        if (now.equals(toolSignature)) {
            return false;
        }
        toolSignature = now;
        revision.incrementAndGet();
        return true;
    }
}
