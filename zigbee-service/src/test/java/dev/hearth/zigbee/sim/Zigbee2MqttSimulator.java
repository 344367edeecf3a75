package dev.hearth.zigbee.sim;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Zigbee2MQTT stand-in for tests, speaking to a real broker: it publishes the retained bridge topics
 * ({@code bridge/state}, {@code bridge/info} in the 1.x or 2.x shape, {@code bridge/devices} with the
 * exposes Zigbee2MQTT emits for real devices, {@code bridge/groups}), availability and states; answers
 * {@code <device>/set} by reporting the new state after a short delay (the Hue lamp reports only
 * {@code state}/{@code brightness}, like a bulb without color reporting configured), {@code /get} by
 * reporting the state, and {@code bridge/request/*} with {@code bridge/response/*} echoing the
 * transaction. It can ignore a device's sets or gets, drop a device offline and send junk; {@link #close()}
 * clears every retained topic it published.
 */
public final class Zigbee2MqttSimulator implements AutoCloseable {

    public static final String LAMP = "Living room lamp";
    public static final String PLUG = "Coffee machine plug";
    public static final String LOCK = "Front door lock";
    public static final String THERMOSTAT = "Bedroom radiator";
    public static final String SENSOR = "Bathroom sensor";
    /** Never reports and has nothing readable (Tuya datapoints: access 3). */
    public static final String SILENT_SOCKET = "Garden socket";
    /** Ignores sets and gets: a bulb that dropped off the mesh without Zigbee2MQTT noticing yet. */
    public static final String DEAF_LIGHT = "Hall light";
    public static final String SWITCH_2GANG = "Kitchen switch";
    public static final String SIREN = "Hallway siren";

    private static final long REPORT_DELAY_MS = 60;

    private final String base;
    private final String host;
    private final int port;
    private final Vertx vertx = Vertx.vertx();
    private final MqttClient client;
    private final Map<String, JsonObject> entries = new LinkedHashMap<>();
    private final Map<String, JsonObject> states = new LinkedHashMap<>();
    private final Set<String> ignoreSets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> ignoreGets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<String> retained = new LinkedHashSet<>();
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final List<String> gets = new CopyOnWriteArrayList<>();
    private volatile boolean silentBridge;
    private String version = "2.1.3";
    private boolean permitJoin;
    private long permitEnd;

    public Zigbee2MqttSimulator(String host, int port, String baseTopic) {
        this.base = baseTopic;
        this.host = host;
        this.port = port;
        this.client = MqttClient.create(vertx, new MqttClientOptions().setClientId("z2m-sim-" + System.nanoTime())
                .setMaxMessageSize(8 * 1024 * 1024).setMaxInflightQueue(10_000));
        for (Object item : readDevices()) {
            JsonObject entry = (JsonObject) item;
            entries.put(entry.getString("friendly_name"), entry);
        }
        states.put(LAMP, new JsonObject().put("state", "OFF").put("brightness", 120).put("color_temp", 370)
                .put("color_mode", "color_temp").put("color", new JsonObject().put("x", 0.4573).put("y", 0.41))
                .put("linkquality", 148));
        states.put(PLUG, new JsonObject().put("state", "ON").put("power", 3.2).put("current", 0.03)
                .put("voltage", 231).put("energy", 12.41).put("child_lock", "UNLOCK").put("linkquality", 188));
        states.put(LOCK, new JsonObject().put("state", "LOCK").put("lock_state", "locked").put("battery", 87));
        states.put(THERMOSTAT, new JsonObject().put("occupied_heating_setpoint", 19.5).put("local_temperature", 18.7)
                .put("system_mode", "heat").put("running_state", "heat").put("battery", 74));
        states.put(SENSOR, new JsonObject().put("temperature", 22.81).put("humidity", 54.2).put("pressure", 1012.4)
                .put("battery", 91).put("voltage", 3005));
        states.put(SILENT_SOCKET, new JsonObject().put("state", "OFF"));
        states.put(DEAF_LIGHT, new JsonObject().put("state", "OFF").put("brightness", 200).put("color_temp", 370));
        states.put(SWITCH_2GANG, new JsonObject().put("state_l1", "OFF").put("state_l2", "ON"));
        states.put(SIREN, new JsonObject().put("battery", 100));
        ignoreSets.add(SILENT_SOCKET);
        ignoreSets.add(DEAF_LIGHT);
        ignoreGets.add(DEAF_LIGHT);
        ignoreSets.add(SIREN);
    }

    /** The device list the simulator starts with (also used by the unit tests). */
    public static JsonArray readDevices() {
        try (InputStream in = Zigbee2MqttSimulator.class.getResourceAsStream("/z2m/bridge-devices.json")) {
            return new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonArray exposesOf(String friendlyName) {
        for (Object item : readDevices()) {
            JsonObject entry = (JsonObject) item;
            if (friendlyName.equals(entry.getString("friendly_name"))) {
                return entry.getJsonObject("definition").getJsonArray("exposes");
            }
        }
        throw new IllegalArgumentException(friendlyName);
    }

    public static String ieeeOf(String friendlyName) {
        for (Object item : readDevices()) {
            JsonObject entry = (JsonObject) item;
            if (friendlyName.equals(entry.getString("friendly_name"))) {
                return entry.getString("ieee_address");
            }
        }
        throw new IllegalArgumentException(friendlyName);
    }

    /** {@code 1.x} or {@code 2.x} payload shapes, from the version in bridge/info. */
    public Zigbee2MqttSimulator version(String newVersion) {
        this.version = newVersion;
        return this;
    }

    public boolean v1() {
        return version.startsWith("1.");
    }

    public Zigbee2MqttSimulator start() {
        await(client.connect(port, host));
        client.publishHandler(this::onMessage);
        await(client.subscribe(Map.of(base + "/+/set", 1, base + "/+/get", 1, base + "/bridge/request/#", 1)));
        return this;
    }

    /** What Zigbee2MQTT publishes at start: bridge state, info, devices, groups, availability, states. */
    public Zigbee2MqttSimulator publishAll() {
        bridgeState("online");
        publishInfo();
        publishDevices();
        publishRetained("bridge/groups", new JsonArray().add(new JsonObject().put("id", 1)
                .put("friendly_name", "Downstairs").put("members", new JsonArray())).encode());
        for (String name : entries.keySet()) {
            if (!"Coordinator".equals(entries.get(name).getString("type"))) {
                availability(name, true);
            }
        }
        for (String name : states.keySet()) {
            reportState(name);
        }
        return this;
    }

    public void bridgeState(String state) {
        publishRetained("bridge/state", v1() ? state : new JsonObject().put("state", state).encode());
    }

    public synchronized void publishInfo() {
        JsonObject info = new JsonObject().put("version", version).put("commit", "abc1234")
                .put("coordinator", new JsonObject().put("ieee_address", "0x00124b0022cd1a2b")
                        .put("type", "zStack3x0").put("meta", new JsonObject().put("revision", 20230507)))
                .put("network", new JsonObject().put("channel", 15).put("pan_id", 6754)
                        .put("extended_pan_id", "0xdddddddddddddddd"))
                .put("log_level", "info").put("permit_join", permitJoin).put("restart_required", false)
                .put("config", new JsonObject().put("advanced", new JsonObject().put("log_level", "info")));
        if (v1()) {
            if (permitJoin) {
                info.put("permit_join_timeout", Math.max(0, (permitEnd - System.currentTimeMillis()) / 1000));
            }
        } else if (permitJoin) {
            info.put("permit_join_end", permitEnd);
        }
        publishRetained("bridge/info", info.encode());
    }

    public synchronized void publishDevices() {
        JsonArray list = new JsonArray();
        entries.values().forEach(list::add);
        publishRetained("bridge/devices", list.encode());
    }

    /** Adds a device as Zigbee2MQTT would after an interview, and republishes bridge/devices. */
    public synchronized void addDevice(JsonObject entry, JsonObject state) {
        entries.put(entry.getString("friendly_name"), entry);
        states.put(entry.getString("friendly_name"), state);
        publishDevices();
    }

    public synchronized void removeDevice(String name) {
        entries.remove(name);
        states.remove(name);
        publishDevices();
    }

    /** 1.x: the bare string; 2.x: {@code {"state":…}}. */
    public void availability(String name, boolean online) {
        String state = online ? "online" : "offline";
        publishRetained(name + "/availability", v1() ? state : new JsonObject().put("state", state).encode());
    }

    public synchronized void reportState(String name) {
        publish(name, states.get(name).encode());
    }

    /** A state change the device reports by itself (someone pressed its button). */
    public synchronized void change(String name, JsonObject values) {
        states.get(name).mergeIn(values);
        publish(name, values.encode());
    }

    public void ignoreSets(String name, boolean ignore) {
        if (ignore) {
            ignoreSets.add(name);
        } else {
            ignoreSets.remove(name);
        }
    }

    public void ignoreGets(String name, boolean ignore) {
        if (ignore) {
            ignoreGets.add(name);
        } else {
            ignoreGets.remove(name);
        }
    }

    /** Publishes any payload on a topic under the base topic, as a broken bridge or another client might. */
    public void junk(String subtopic, String payload, boolean retain) {
        if (retain) {
            publishRetained(subtopic, payload);
        } else {
            publish(subtopic, payload);
        }
    }

    /** The bridge stops answering {@code bridge/request/*} (it is busy, or hung). */
    public void silenceRequests(boolean silent) {
        this.silentBridge = silent;
    }

    /** A rename done elsewhere (Zigbee2MQTT's frontend): only the device list says so. */
    public synchronized void renameElsewhere(String from, String to) {
        JsonObject entry = entries.remove(from).put("friendly_name", to);
        entries.put(to, entry);
        states.put(to, states.remove(from));
        publishDevices();
    }

    public void event(String type, JsonObject data) {
        publish("bridge/event", new JsonObject().put("type", type).put("data", data).encode());
    }

    /** The {@code bridge/request/*} messages received, with {@code topic} added. */
    public List<JsonObject> requests() {
        return requests;
    }

    /** The device names that were sent {@code /get}. */
    public List<String> gets() {
        return gets;
    }

    public synchronized JsonObject state(String name) {
        return states.get(name).copy();
    }

    private void onMessage(MqttPublishMessage message) {
        String topic = message.topicName().substring(base.length() + 1);
        JsonObject payload;
        try {
            payload = new JsonObject(message.payload());
        } catch (RuntimeException e) {
            return;
        }
        if (topic.startsWith("bridge/request/")) {
            requests.add(payload.copy().put("topic", topic));
            if (silentBridge) {
                return;
            }
            answerRequest(topic.substring("bridge/request/".length()), payload);
        } else if (topic.endsWith("/set")) {
            String name = topic.substring(0, topic.length() - "/set".length());
            if (!ignoreSets.contains(name) && states.containsKey(name)) {
                vertx.setTimer(REPORT_DELAY_MS, id -> applySet(name, payload));
            }
        } else if (topic.endsWith("/get")) {
            String name = topic.substring(0, topic.length() - "/get".length());
            gets.add(name);
            if (!ignoreGets.contains(name) && states.containsKey(name)) {
                vertx.setTimer(REPORT_DELAY_MS, id -> reportState(name));
            }
        }
    }

    private synchronized void applySet(String name, JsonObject set) {
        JsonObject state = states.get(name);
        JsonObject report = new JsonObject();
        for (String key : set.fieldNames()) {
            Object value = set.getValue(key);
            if ("transition".equals(key)) {
                continue;
            }
            if ("TOGGLE".equals(value)) {
                value = "ON".equals(state.getValue(key)) ? "OFF" : "ON";
            }
            if ("occupied_heating_setpoint".equals(key) && value instanceof Number n) {
                value = Math.round(n.doubleValue() * 2) / 2.0; // the valve stores half degrees
            }
            if ("brightness".equals(key) && value instanceof Number n) {
                value = (int) Math.round(n.doubleValue()); // Zigbee levels are whole numbers
            }
            state.put(key, value);
            if (LOCK.equals(name) && "state".equals(key)) {
                String lockState = "LOCK".equals(value) ? "locked" : "unlocked";
                state.put("lock_state", lockState);
                report.put("lock_state", lockState);
            }
            // The Hue lamp reports state and brightness by itself; the rest only when asked with /get.
            if (!LAMP.equals(name) || "state".equals(key) || "brightness".equals(key)) {
                report.put(key, value);
            }
        }
        if (!report.isEmpty()) {
            publish(name, (LAMP.equals(name) ? report : state).encode());
        }
    }

    private synchronized void answerRequest(String path, JsonObject request) {
        Object transaction = request.getValue("transaction");
        JsonObject response = new JsonObject().put("status", "ok");
        switch (path) {
            case "permit_join" -> {
                int time = request.getInteger("time", v1() ? 254 : 0);
                boolean open = v1() ? Boolean.TRUE.equals(request.getValue("value")) && time > 0 : time > 0;
                permitJoin = open;
                permitEnd = open ? System.currentTimeMillis() + time * 1000L : 0;
                response.put("data", v1() ? new JsonObject().put("value", open).put("time", time)
                        : new JsonObject().put("time", time));
                if (open) {
                    vertx.setTimer(time * 1000L, id -> {
                        synchronized (this) {
                            permitJoin = false;
                            permitEnd = 0;
                        }
                        publishInfo();
                    });
                }
                publishInfo();
            }
            case "device/rename" -> {
                String from = request.getString("from");
                String to = request.getString("to");
                if (!entries.containsKey(from)) {
                    response = error("Device '" + from + "' does not exist");
                } else if (entries.containsKey(to)) {
                    response = error("friendly_name '" + to + "' is already in use");
                } else {
                    JsonObject entry = entries.remove(from).put("friendly_name", to);
                    entries.put(to, entry);
                    states.put(to, states.remove(from));
                    response.put("data", new JsonObject().put("from", from).put("to", to)
                            .put("homeassistant_rename", false));
                    clearRetained(from + "/availability");
                }
            }
            default -> response = error("Request '" + path + "' is not supported by this simulator");
        }
        if (transaction != null) {
            response.put("transaction", transaction);
        }
        publish("bridge/response/" + path, response.encode());
        if ("device/rename".equals(path) && "ok".equals(response.getString("status"))) {
            publishDevices();
            availability(request.getString("to"), true);
        }
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("status", "error").put("error", message).put("data", new JsonObject());
    }

    private void publish(String subtopic, String payload) {
        client.publish(base + "/" + subtopic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false);
    }

    private void publishRetained(String subtopic, String payload) {
        synchronized (retained) {
            retained.add(subtopic);
        }
        client.publish(base + "/" + subtopic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, true);
    }

    private void clearRetained(String subtopic) {
        client.publish(base + "/" + subtopic, Buffer.buffer(new byte[0]), MqttQoS.AT_LEAST_ONCE, false, true);
    }

    /** Clears every retained topic it published (the broker is shared) and disconnects. */
    @Override
    public void close() {
        try {
            List<String> topics;
            synchronized (retained) {
                topics = new ArrayList<>(retained);
            }
            List<Future<Integer>> cleared = new ArrayList<>();
            for (String topic : topics) {
                cleared.add(client.publish(base + "/" + topic, Buffer.buffer(new byte[0]), MqttQoS.AT_LEAST_ONCE,
                        false, true));
            }
            await(Future.all(cleared));
            await(client.disconnect());
        } catch (RuntimeException e) {
            // already disconnected: nothing more to clean from here
        } finally {
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("MQTT simulator: " + e.getMessage(), e);
        }
    }
}
