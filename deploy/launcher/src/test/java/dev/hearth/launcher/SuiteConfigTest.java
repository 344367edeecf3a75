package dev.hearth.launcher;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteConfigTest {

    private static final PrintStream OUT = System.out;

    @Test
    void launcherDefaults() {
        SuiteConfig config = SuiteConfig.fromLauncherEnv(Path.of("/repo"), Map.of(), OUT);
        assertEquals(8080, config.port(ServiceId.GATEWAY));
        assertEquals(8085, config.port(ServiceId.MCP_CONFIG));
        assertEquals(Path.of(System.getProperty("user.home"), ".hearth"), config.dataDir());
        assertTrue(config.persistentPostgres());
        assertEquals("hearth", config.databaseName());
        assertEquals(SuiteConfig.DEFAULT_JAVA_OPTS, config.javaOpts());
        assertEquals(Duration.ofSeconds(120), config.readyTimeout());
        // Home Assistant's Wyoming integration finds tts and stt where wyoming-piper and wyoming-faster-whisper are.
        assertEquals(10200, config.wyomingPort(ServiceId.TTS));
        assertEquals(10300, config.wyomingPort(ServiceId.STT));
    }

    @Test
    void wyomingPortsFromEnvironmentGoToTheirServiceOnly() {
        SuiteConfig config = SuiteConfig.fromLauncherEnv(Path.of("/repo"), Map.of(
                "HEARTH_STT_WYOMING_SERVER_PORT", "10301", "HEARTH_TTS_WYOMING_SERVER_PORT", " 10201 "), OUT);
        assertEquals(10301, config.wyomingPort(ServiceId.STT));
        assertEquals(10201, config.wyomingPort(ServiceId.TTS));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config.wyomingPort(ServiceId.GATEWAY));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SuiteConfig.builder(Path.of("/repo"), Path.of("/data")).wyomingPort(ServiceId.ROUTER, 1));
    }

    @Test
    void launcherOverridesFromEnvironment() {
        SuiteConfig config = SuiteConfig.fromLauncherEnv(Path.of("/repo"), Map.of(
                "HEARTH_GATEWAY_PORT", "9080",
                "HEARTH_CONFIG_PORT", "9085",
                "HEARTH_DATA_DIR", "/var/lib/hearth",
                "HEARTH_JAVA_OPTS", " -Xmx1g  -XX:+UseG1GC ",
                "HEARTH_READY_TIMEOUT_SECONDS", "30",
                "HEARTH_DB_NAME", "home",
                "OPENAI_API_KEY", "sk-test"), OUT);
        assertEquals(9080, config.port(ServiceId.GATEWAY));
        assertEquals(9085, config.port(ServiceId.MCP_CONFIG));
        assertEquals(8081, config.port(ServiceId.ROUTER));
        assertEquals(Path.of("/var/lib/hearth"), config.dataDir());
        assertEquals(List.of("-Xmx1g", "-XX:+UseG1GC"), config.javaOpts());
        assertEquals(Duration.ofSeconds(30), config.readyTimeout());
        assertEquals("home", config.databaseName());
        assertEquals("sk-test", config.environment().get("OPENAI_API_KEY"), "provider keys reach the services");
        assertFalse(config.environment().containsKey("HEARTH_JAVA_OPTS"), "launcher settings do not");
        assertFalse(config.environment().containsKey("HEARTH_DATA_DIR"));
    }

    @Test
    void aServiceMayHaveItsOwnJvmOptions() {
        SuiteConfig config = SuiteConfig.fromLauncherEnv(Path.of("/repo"), Map.of(
                "HEARTH_JAVA_OPTS", "-Xmx128m",
                "HEARTH_JAVA_OPTS_GATEWAY", "-Xmx1g -XX:+UseSerialGC"), OUT);
        assertEquals(List.of("-Xmx1g", "-XX:+UseSerialGC"), config.javaOpts(ServiceId.GATEWAY));
        assertEquals(List.of("-Xmx128m"), config.javaOpts(ServiceId.ROUTER));
        assertFalse(config.environment().containsKey("HEARTH_JAVA_OPTS_GATEWAY"));
    }

    @Test
    void randomPortsAreDistinctAndNotTheDefaults() {
        SuiteConfig config = SuiteConfig.builder(Path.of("/repo"), Path.of("/data")).randomPorts().build();
        assertEquals(7, config.ports().values().stream().distinct().count());
        java.util.Set<Integer> all = new java.util.HashSet<>(config.ports().values());
        all.addAll(config.wyomingPorts().values());
        assertEquals(9, all.size(), "Wyoming ports are random too, so tests never take 10200/10300");
        assertFalse(all.contains(10200) || all.contains(10300));
    }
}
