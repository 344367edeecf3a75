package dev.hearth.infra;

import java.util.Map;

/** Where to look for an MQTT broker; username/password are passed on to clients, may be null. */
public record MqttSettings(String host, int port, String username, String password) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 1883;

    /** Reads HEARTH_MQTT_HOST, HEARTH_MQTT_PORT, HEARTH_MQTT_USERNAME, HEARTH_MQTT_PASSWORD. */
    public static MqttSettings fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        return new MqttSettings(
                e.get("HEARTH_MQTT_HOST", DEFAULT_HOST),
                e.getInt("HEARTH_MQTT_PORT", DEFAULT_PORT),
                e.get("HEARTH_MQTT_USERNAME", null),
                e.get("HEARTH_MQTT_PASSWORD", null));
    }

    public MqttSettings withPort(int newPort) {
        return new MqttSettings(host, newPort, username, password);
    }
}
