package dev.hearth.launcher;

import dev.hearth.infra.Redis;
import dev.hearth.infra.RespClient;
import dev.hearth.infra.testing.UniqueNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite lifecycle against seven fake services and this machine's (or embedded) infrastructure. */
class SuiteTest {

    @TempDir
    Path tmp;

    private SuiteConfig.Builder config() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        FakeRepo.create(repo);
        Files.createDirectories(repo.resolve("gateway-service"));
        return SuiteConfig.builder(repo, tmp.resolve("data"))
                .withoutEnv(BootstrapApiKey.ENV)
                .randomPorts()
                .javaOpts(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx32m"))
                .databaseName(UniqueNames.database())
                .cleanUpOnClose(true)
                .stopTimeout(Duration.ofSeconds(5))
                .out(new PrintStream(new ByteArrayOutputStream(), true));
    }

    @Test
    void startsEveryServiceWithItsEnvironmentAndStopsEveryProcess() throws Exception {
        String prefix = UniqueNames.redisPrefix();
        SuiteConfig config = config().redisPrefix(prefix).zigbeeBaseTopic("t/zigbee2mqtt").build();
        List<ProcessHandle> tree;
        dev.hearth.infra.RedisUrl redisUrl;
        try (Suite suite = Suite.start(config)) {
            redisUrl = suite.infrastructure().redis().url();
            try (RespClient redis = RespClient.connect(redisUrl)) {
                redis.call("SET", prefix + "history", "a stream");
            }
            assertEquals(7, suite.readyTimes().size());
            ReadinessProbe probe = new ReadinessProbe();
            for (ServiceId service : ServiceId.values()) {
                assertTrue(probe.isReady("127.0.0.1", suite.port(service)), service + " answers");
            }
            tree = suite.processTree();
            // 7 services + their 7 children + the watchdog (+ embedded servers if any)
            assertTrue(tree.size() >= 15, "whole tree seen: " + tree.size());

            String gatewayLog = Files.readString(suite.process(ServiceId.GATEWAY).orElseThrow().log());
            assertTrue(gatewayLog.contains("env QUARKUS_HTTP_PORT=" + suite.port(ServiceId.GATEWAY)));
            assertTrue(gatewayLog.contains("env HEARTH_ROUTER_PORT=" + suite.port(ServiceId.ROUTER)));
            assertTrue(gatewayLog.contains("env HEARTH_ROUTER_HOST=127.0.0.1"));
            assertTrue(gatewayLog.contains("env HEARTH_REDIS_PREFIX=" + prefix));
            assertFalse(gatewayLog.contains("env HEARTH_GATEWAY_PORT"), "no service sees its own address");

            String routerLog = Files.readString(suite.process(ServiceId.ROUTER).orElseThrow().log());
            for (ServiceId downstream : List.of(ServiceId.MCP_CONFIG, ServiceId.LLM_ADAPTER, ServiceId.STT,
                    ServiceId.TTS, ServiceId.ZIGBEE)) {
                assertTrue(routerLog.contains("env " + downstream.portEnv() + "=" + suite.port(downstream)), downstream.name());
            }
            String configLog = Files.readString(suite.process(ServiceId.MCP_CONFIG).orElseThrow().log());
            assertTrue(configLog.contains("env HEARTH_DB_NAME=" + config.databaseName()));
            assertTrue(configLog.contains("env HEARTH_DB_PORT=" + suite.infrastructure().postgres().endpoint().port()));
            assertTrue(configLog.contains("env HEARTH_REDIS_URL=" + suite.infrastructure().redis().url()));
            assertBootstrapKeyOnlyFor(ServiceId.MCP_CONFIG, suite);
            Path keyFile = config.dataDir().resolve("bootstrap-api-key");
            assertEquals(java.util.Optional.of(keyFile), suite.apiKeyFile());
            assertEquals(suite.apiKey(), Files.readString(keyFile).trim());
            assertTrue(suite.apiKey().matches("hk_[A-Za-z0-9_-]{43}"), suite.apiKey());
            if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(keyFile)));
            }
            String zigbeeLog = Files.readString(suite.process(ServiceId.ZIGBEE).orElseThrow().log());
            assertTrue(zigbeeLog.contains("env HEARTH_MQTT_PORT=" + suite.infrastructure().mqtt().endpoint().port()));
            assertTrue(zigbeeLog.contains("env HEARTH_ZIGBEE_BASE_TOPIC=t/zigbee2mqtt"));
            assertFalse(zigbeeLog.contains("env HEARTH_ZIGBEE_PORT"));
        }
        List<ProcessHandle> alive = tree.stream().filter(ProcessLiveness::isRunning).collect(Collectors.toList());
        assertEquals(List.of(), alive, "nothing of the suite is left running");
        if (Redis.answers(redisUrl)) { // a found Redis outlives the suite: its keys must be gone
            try (RespClient redis = RespClient.connect(redisUrl)) {
                assertEquals(0L, redis.call("EXISTS", prefix + "history"));
            }
        }
    }

    /** mcp-config gets the key as HEARTH_BOOTSTRAP_API_KEY; no other service sees it at all. */
    private static void assertBootstrapKeyOnlyFor(ServiceId holder, Suite suite) throws Exception {
        for (ServiceId service : ServiceId.values()) {
            String log = Files.readString(suite.process(service).orElseThrow().log());
            if (service == holder) {
                assertTrue(log.contains("env HEARTH_BOOTSTRAP_API_KEY=" + suite.apiKey() + System.lineSeparator()), log);
            } else {
                assertFalse(log.contains(suite.apiKey()), service + " must not see the key");
            }
        }
    }

    @Test
    void aKeyTheUserSetIsPassedOnAndNotWritten() throws Exception {
        String own = "hk_usersOwnKey_0123456789abcdefghijklmnopqrstuv";
        SuiteConfig config = config().env(BootstrapApiKey.ENV, own).build();
        try (Suite suite = Suite.start(config)) {
            assertEquals(own, suite.apiKey());
            assertEquals(java.util.Optional.empty(), suite.apiKeyFile());
            assertBootstrapKeyOnlyFor(ServiceId.MCP_CONFIG, suite);
            assertFalse(Files.exists(config.dataDir().resolve("bootstrap-api-key")));
        }
    }

    @Test
    void aServiceThatExitsFailsTheStartNamingItWithItsLog() throws Exception {
        SuiteConfig.Builder builder = config();
        SuiteConfig probeConfig = builder.build();
        SuiteConfig config = builder.env("FAKE_FAIL_PORT", String.valueOf(probeConfig.port(ServiceId.STT))).build();

        SuiteStartException failure = assertThrows(SuiteStartException.class, () -> Suite.start(config));

        assertEquals(ServiceId.STT, failure.service());
        assertTrue(failure.getMessage().contains("exited with code 3"), failure.getMessage());
        assertTrue(failure.logTail().contains("fake failure: cannot connect to anything"), failure.logTail());
        for (ServiceId service : ServiceId.values()) {
            int port = config.port(service);
            await().atMost(Duration.ofSeconds(10)).until(() -> !dev.hearth.infra.TcpProbe.isOpen("127.0.0.1", port));
        }
    }

    @Test
    void aServiceNeverReadyFailsAtTheTimeout() throws Exception {
        SuiteConfig.Builder builder = config().readyTimeout(Duration.ofSeconds(4));
        SuiteConfig probeConfig = builder.build();
        SuiteConfig config = builder.env("FAKE_NEVER_READY_PORT", String.valueOf(probeConfig.port(ServiceId.ROUTER)))
                .build();

        SuiteStartException failure = assertThrows(SuiteStartException.class, () -> Suite.start(config));

        assertEquals(ServiceId.ROUTER, failure.service());
        assertTrue(failure.getMessage().contains("not ready after 4 s"), failure.getMessage());
        assertTrue(failure.logTail().contains("fake service listening"));
    }

    @Test
    void refusesToStartWhenAPortIsTaken() throws Exception {
        SuiteConfig config = config().build();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(config.port(ServiceId.GATEWAY), 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Suite.start(config));
            assertTrue(failure.getMessage().contains("HEARTH_GATEWAY_PORT"), failure.getMessage());
        }
    }

    @Test
    void refusesToStartWhenAJarIsMissing() throws Exception {
        SuiteConfig config = config().build();
        Files.delete(config.repoDir().resolve("tts-service/target/quarkus-app/quarkus-run.jar"));

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Suite.start(config));

        assertTrue(failure.getMessage().contains("tts-service"), failure.getMessage());
    }
}
