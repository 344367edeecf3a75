package dev.hearth.zigbee.mqtt;

import dev.hearth.zigbee.ZigbeeDevice;
import dev.hearth.zigbee.config.ZigbeeConfig;
import dev.hearth.zigbee.service.BridgeStatus;
import dev.hearth.zigbee.service.DeviceEvents;
import dev.hearth.zigbee.service.DeviceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Reads every message under the base topic into the registry: the retained bridge topics, bridge
 * events and responses, availability and device states, in Zigbee2MQTT 1.x and 2.x shapes. Nothing
 * thrown here may reach the MQTT client (it would drop the connection): a message that is not what
 * Zigbee2MQTT sends is counted and logged at WARN once per topic, and the registry stays as it was.
 */
@ApplicationScoped
public class BridgeMessageHandler {

    private static final Logger LOG = Logger.getLogger(BridgeMessageHandler.class);
    private static final String AVAILABILITY = "/availability";

    private final String prefix;
    private final DeviceRegistry registry;
    private final BridgeStatus bridge;
    private final DeviceEvents events;
    private final Set<String> warnedTopics = ConcurrentHashMap.newKeySet();
    private final AtomicLong junk = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();

    @Inject
    BridgeRequests requests;

    public BridgeMessageHandler(ZigbeeConfig config, DeviceRegistry registry, BridgeStatus bridge,
            DeviceEvents events, MeterRegistry meters) {
        meters.gauge("hearth.zigbee.bridge.junk.messages", junk);
        meters.gauge("hearth.zigbee.devices", registry, r -> r.devices().size());
        this.prefix = config.baseTopic() + "/";
        this.registry = registry;
        this.bridge = bridge;
        this.events = events;
    }

    /** Messages that were not what Zigbee2MQTT sends, since start. */
    public long junkCount() {
        return junk.get();
    }

    public long handledCount() {
        return handled.get();
    }

    public void onMessage(String topic, Buffer payload) {
        try {
            if (!topic.startsWith(prefix) || payload.length() == 0) {
                return; // an empty payload clears a retained topic
            }
            route(topic, topic.substring(prefix.length()), payload);
            handled.incrementAndGet();
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            junk(topic, "not the JSON Zigbee2MQTT sends: " + e.getMessage());
        } catch (RuntimeException e) {
            junk(topic, e.toString());
        }
    }

    private void route(String topic, String sub, Buffer payload) {
        if (sub.startsWith("bridge/")) {
            bridgeTopic(topic, sub.substring("bridge/".length()), payload);
        } else if (sub.endsWith("/set") || sub.endsWith("/get") || sub.contains("/set/") || sub.contains("/get/")) {
            return; // commands (ours or another client's), not state
        } else if (sub.endsWith(AVAILABILITY)) {
            String name = sub.substring(0, sub.length() - AVAILABILITY.length());
            Boolean online = availability(payload);
            if (online == null) {
                junk(topic, "availability is neither online nor offline");
            } else if (!registry.applyAvailability(name, online) && registry.listed() && !registry.isGroup(name)) {
                junk(topic, "availability of a device Zigbee2MQTT did not list");
            }
        } else {
            Object json = Json.decodeValue(payload);
            if (!(json instanceof JsonObject state)) {
                junk(topic, "a device state must be a JSON object");
            } else if (registry.isGroup(sub)) {
                return;
            } else if (!registry.applyState(sub, state) && registry.listed()) {
                junk(topic, "state of a device Zigbee2MQTT did not list");
            }
        }
    }

    private void bridgeTopic(String topic, String sub, Buffer payload) {
        switch (sub) {
            case "state" -> {
                String text = payload.toString().strip();
                String state = text.startsWith("{") ? new JsonObject(text).getString("state") : text;
                if (state == null || state.isBlank()) {
                    junk(topic, "no state");
                } else {
                    bridge.onState(state);
                }
            }
            case "info" -> bridge.onInfo(new JsonObject(payload));
            case "devices" -> devices(topic, payload);
            case "groups" -> {
                List<String> names = new ArrayList<>();
                for (Object group : new JsonArray(payload)) {
                    if (group instanceof JsonObject g && g.getValue("friendly_name") instanceof String name) {
                        names.add(name);
                    }
                }
                registry.replaceGroups(names);
            }
            case "event" -> event(topic, new JsonObject(payload));
            default -> {
                if (sub.startsWith("response/")) {
                    response(sub.substring("response/".length()), new JsonObject(payload));
                }
                // bridge/logging, bridge/config, bridge/extensions, bridge/definitions: nothing of ours
            }
        }
    }

    private void devices(String topic, Buffer payload) {
        Object json = Json.decodeValue(payload);
        if (!(json instanceof JsonArray list)) {
            junk(topic, "bridge/devices must be a JSON array");
            return;
        }
        List<ZigbeeDevice> devices = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof JsonObject d) || !(d.getValue("ieee_address") instanceof String ieee)
                    || !(d.getValue("friendly_name") instanceof String name) || ieee.isBlank() || name.isBlank()) {
                junk(topic, "a device without ieee_address or friendly_name; the device list was not taken");
                return;
            }
            Object definition = d.getValue("definition");
            if (definition != null && !(definition instanceof JsonObject)) {
                junk(topic, "device " + name + " has a definition that is not an object; the device list was not taken");
                return;
            }
            JsonObject def = definition instanceof JsonObject o ? o : new JsonObject();
            Object exposes = def.getValue("exposes");
            if (exposes != null && !(exposes instanceof JsonArray)) {
                junk(topic, "device " + name + " has exposes that are not a list; the device list was not taken");
                return;
            }
            devices.add(new ZigbeeDevice(ieee, name, d.getString("type", ""), text(def, "vendor"), text(def, "model"),
                    text(def, "description"), !Boolean.FALSE.equals(d.getValue("interview_completed")),
                    (JsonArray) exposes, null, null));
        }
        registry.replaceDevices(devices);
    }

    private static String text(JsonObject object, String key) {
        return object.getValue(key) instanceof String s ? s : "";
    }

    private void event(String topic, JsonObject event) {
        String type = event.getString("type", "");
        JsonObject data = event.getValue("data") instanceof JsonObject d ? d : new JsonObject();
        String name = data.getValue("friendly_name") instanceof String n ? n : "";
        String ieee = data.getValue("ieee_address") instanceof String i ? i : "";
        switch (type) {
            case "device_joined" -> events.publish("joined", name, ieee, data);
            case "device_announce" -> events.publish("announce", name, ieee, data);
            case "device_interview" -> events.publish("interview", name, ieee, new JsonObject()
                    .put("status", data.getValue("status")).put("supported", data.getValue("supported")));
            case "device_leave" -> {
                registry.remove(ieee);
                events.publish("left", name, ieee, data);
            }
            default -> LOG.debugf("Ignoring bridge event %s", type);
        }
    }

    private void response(String path, JsonObject response) {
        // The registry first: whoever waits on the response then finds the device under its new name.
        if ("device/rename".equals(path) && "ok".equals(response.getString("status"))
                && response.getValue("data") instanceof JsonObject data
                && data.getValue("from") instanceof String from && data.getValue("to") instanceof String to) {
            registry.rename(from, to);
        }
        if (requests != null) {
            requests.onResponse(path, response);
        }
    }

    /** 1.x: {@code online}/{@code offline}; 2.x: {@code {"state":"online"}}. */
    private static Boolean availability(Buffer payload) {
        String text = payload.toString().strip();
        String state = text.startsWith("{") ? new JsonObject(text).getString("state") : text;
        if ("online".equalsIgnoreCase(state)) {
            return true;
        }
        return "offline".equalsIgnoreCase(state) ? false : null;
    }

    private void junk(String topic, String reason) {
        junk.incrementAndGet();
        // One line, short: a parser's message can quote the payload over several lines.
        String firstLine = reason.lines().findFirst().orElse("");
        String why = firstLine.length() > 200 ? firstLine.substring(0, 200) + "…" : firstLine;
        if (warnedTopics.add(topic)) {
            LOG.warnf("Ignoring a message on %s: %s (further ones on this topic are logged at DEBUG)", topic, why);
        } else {
            LOG.debugf("Ignoring a message on %s: %s", topic, why);
        }
    }
}
