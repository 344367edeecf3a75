package dev.hearth.launcher;

/** What {@code hearth --help} prints. */
final class Usage {

    static final String TEXT = String.join(System.lineSeparator(),
            "Usage: deploy/hearth [--build]",
            "",
            "Runs the Hearth suite on this host: finds PostgreSQL, Redis and an MQTT broker (or starts",
            "embedded ones), starts the seven services and waits until they are ready.",
            "  --build   (script only) rebuild everything first",
            "",
            "Environment:",
            "  HEARTH_HOME                  the checkout (default: found from the launcher jar or cwd)",
            "  HEARTH_DATA_DIR              logs, embedded PostgreSQL data and the bootstrap API key (default ~/.hearth)",
            "  HEARTH_BOOTSTRAP_API_KEY     the admin API key to use (default: generated on the first start and",
            "                               kept in <HEARTH_DATA_DIR>/bootstrap-api-key)",
            "  HEARTH_JAVA_OPTS             JVM options for every service (replaces the default "
                    + String.join(" ", SuiteConfig.DEFAULT_JAVA_OPTS) + ")",
            "  HEARTH_JAVA_OPTS_GATEWAY     JVM options of one service (also _ROUTER, _LLM_ADAPTER, _TTS, _STT,",
            "                               _MCP_CONFIG, _ZIGBEE)",
            "  HEARTH_READY_TIMEOUT_SECONDS how long to wait for readiness (default 120)",
            "  HEARTH_GATEWAY_PORT (8080) HEARTH_ROUTER_PORT (8081) HEARTH_LLM_ADAPTER_PORT (8082)",
            "  HEARTH_TTS_PORT (8083) HEARTH_STT_PORT (8084) HEARTH_CONFIG_PORT (8085) HEARTH_ZIGBEE_PORT (8086)",
            "  HEARTH_TTS_WYOMING_SERVER_PORT (10200) HEARTH_STT_WYOMING_SERVER_PORT (10300)",
            "                               Wyoming servers for Home Assistant, on every interface",
            "  HEARTH_DB_HOST/PORT/USER/PASSWORD/NAME   PostgreSQL (default 127.0.0.1:5432 postgres, db hearth)",
            "  HEARTH_REDIS_URL             (default redis://127.0.0.1:6379)",
            "  HEARTH_MQTT_HOST/PORT/USERNAME/PASSWORD  (default 127.0.0.1:1883)",
            "  OPENAI_API_KEY, ANTHROPIC_API_KEY, ...   passed on to the services");

    private Usage() {
    }
}
