package dev.hearth.launcher;

import java.util.List;

/**
 * The seven services, in the order that gets them ready fastest: leaves first, then the router,
 * then the gateway (whose readiness includes its downstream).
 *
 * @param envPrefix how the other services name this one in their environment:
 *                  {@code <prefix>_HOST}, {@code <prefix>_PORT}
 */
public enum ServiceId {
    MCP_CONFIG("mcp-config", "mcp-config-service", 8085, "HEARTH_CONFIG"),
    LLM_ADAPTER("llm-adapter", "llm-adapter-service", 8082, "HEARTH_LLM_ADAPTER"),
    STT("stt", "stt-service", 8084, "HEARTH_STT"),
    TTS("tts", "tts-service", 8083, "HEARTH_TTS"),
    ZIGBEE("zigbee", "zigbee-service", 8086, "HEARTH_ZIGBEE"),
    ROUTER("router", "router-service", 8081, "HEARTH_ROUTER"),
    GATEWAY("gateway", "gateway-service", 8080, "HEARTH_GATEWAY");

    private final String shortName;
    private final String module;
    private final int defaultPort;
    private final String envPrefix;

    ServiceId(String shortName, String module, int defaultPort, String envPrefix) {
        this.shortName = shortName;
        this.module = module;
        this.defaultPort = defaultPort;
        this.envPrefix = envPrefix;
    }

    public String shortName() {
        return shortName;
    }

    /** The Maven module directory under the repository root. */
    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public String hostEnv() {
        return envPrefix + "_HOST";
    }

    /** Also the launcher's own override for this service's port (HEARTH_GATEWAY_PORT=9080 ...). */
    public String portEnv() {
        return envPrefix + "_PORT";
    }

    /**
     * The port of the service's Wyoming server (Home Assistant's voice protocol): tts 10200 (as
     * wyoming-piper), stt 10300 (as wyoming-faster-whisper); 0 for the services without one.
     */
    public int defaultWyomingPort() {
        return switch (this) {
            case TTS -> 10200;
            case STT -> 10300;
            default -> 0;
        };
    }

    public boolean servesWyoming() {
        return defaultWyomingPort() > 0;
    }

    /** The variable that sets it: HEARTH_TTS_WYOMING_SERVER_PORT is {@code hearth.tts.wyoming-server.port}. */
    public String wyomingPortEnv() {
        return envPrefix + "_WYOMING_SERVER_PORT";
    }

    /** Stop order: clients' entry point first so nothing new comes in, then inwards. */
    static List<List<ServiceId>> stopStages() {
        return List.of(List.of(GATEWAY), List.of(ROUTER), List.of(MCP_CONFIG, LLM_ADAPTER, STT, TTS, ZIGBEE));
    }
}
