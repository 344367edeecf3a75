package dev.hearth.launcher;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment of one service process: what the suite inherits, plus its port, the address
 * of every other service, and the infrastructure. A service never gets its own
 * {@code <PREFIX>_HOST/PORT}: HEARTH_ZIGBEE_PORT would read as {@code hearth.zigbee.port} to the
 * zigbee service itself, a key its config mapping does not know. tts and stt get the port of
 * their Wyoming server ({@code <PREFIX>_WYOMING_SERVER_PORT}), no other service does. Only mcp-config-service, which
 * stores API keys, gets the bootstrap admin key.
 */
final class ServiceEnvironment {

    static final String LOCALHOST = "127.0.0.1";

    private ServiceEnvironment() {
    }

    static Map<String, String> of(ServiceId service, SuiteConfig config, Infrastructure infra, BootstrapApiKey apiKey) {
        Map<String, String> env = new HashMap<>(config.environment());
        env.remove(BootstrapApiKey.ENV);
        if (service == ServiceId.MCP_CONFIG) {
            env.put(BootstrapApiKey.ENV, apiKey.key());
        }
        for (ServiceId other : ServiceId.values()) {
            env.remove(other.hostEnv());
            env.remove(other.portEnv());
            env.remove(other.wyomingPortEnv());
            if (other != service) {
                env.put(other.hostEnv(), LOCALHOST);
                env.put(other.portEnv(), String.valueOf(config.port(other)));
            }
        }
        env.put("QUARKUS_HTTP_PORT", String.valueOf(config.port(service)));
        if (service.servesWyoming()) { // Home Assistant's port: set, so the one the launcher prints is the one served
            env.put(service.wyomingPortEnv(), String.valueOf(config.wyomingPort(service)));
        }

        env.put("HEARTH_DB_HOST", infra.postgres().endpoint().host());
        env.put("HEARTH_DB_PORT", String.valueOf(infra.postgres().endpoint().port()));
        env.put("HEARTH_DB_NAME", infra.databaseName());
        env.put("HEARTH_DB_USER", infra.postgres().user());
        env.put("HEARTH_DB_PASSWORD", infra.postgres().password());

        env.put("HEARTH_REDIS_URL", infra.redis().url().toString());
        putIfSet(env, "HEARTH_REDIS_PREFIX", config.redisPrefix());

        env.put("HEARTH_MQTT_HOST", infra.mqtt().endpoint().host());
        env.put("HEARTH_MQTT_PORT", String.valueOf(infra.mqtt().endpoint().port()));
        env.remove("HEARTH_MQTT_USERNAME");
        env.remove("HEARTH_MQTT_PASSWORD");
        putIfSet(env, "HEARTH_MQTT_USERNAME", infra.mqtt().username());
        putIfSet(env, "HEARTH_MQTT_PASSWORD", infra.mqtt().password());
        putIfSet(env, "HEARTH_ZIGBEE_BASE_TOPIC", config.zigbeeBaseTopic());
        return env;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }
}
