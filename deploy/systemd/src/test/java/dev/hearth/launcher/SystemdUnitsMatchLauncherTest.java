package dev.hearth.launcher;

import dev.hearth.deploy.systemd.Units;
import dev.hearth.infra.MqttSettings;
import dev.hearth.infra.PostgresSettings;
import dev.hearth.infra.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The units start the processes the launcher starts, with the environment it gives: the launcher's
 * ServiceEnvironment and JavaCommand are the reference. Differences, by design: the units carry
 * their JVM options in JAVA_OPTS / NATIVE_OPTS (expanded into the command line; the launcher keeps
 * HEARTH_JAVA_OPTS to itself), and provider keys come from secrets.env where the launcher passes
 * on whatever its own environment has.
 */
class SystemdUnitsMatchLauncherTest {

    private static final Set<String> UNIT_ONLY = Set.of("JAVA_OPTS", "NATIVE_OPTS",
            "OPENAI_API_KEY", "OPENROUTER_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
            // Commented out in secrets.env.example; the launcher sets them only for a broker that wants a login.
            "HEARTH_MQTT_USERNAME", "HEARTH_MQTT_PASSWORD");

    @TempDir
    static Path dataDir;
    static SuiteConfig config;
    static Infrastructure infra;
    static BootstrapApiKey apiKey;

    @BeforeAll
    static void launcherSide() {
        // What deploy/hearth does with no HEARTH_* settings, on a database of its own that is dropped after.
        config = SuiteConfig.builder(Units.REPO, dataDir).environment(Map.of())
                .databaseName("hearth_units_" + UUID.randomUUID().toString().substring(0, 8))
                .redisPrefix("hearth:").zigbeeBaseTopic("zigbee2mqtt").cleanUpOnClose(true).build();
        infra = Infrastructure.start(config);
        apiKey = BootstrapApiKey.resolve(Map.of(), dataDir);
    }

    @AfterAll
    static void stop() {
        if (infra != null) {
            infra.close();
        }
    }

    private static Map<String, String> launcherEnv(ServiceId service) {
        return new TreeMap<>(ServiceEnvironment.of(service, config, infra, apiKey));
    }

    private static Map<String, String> unitEnv(String template, ServiceId service) {
        return new TreeMap<>(Units.environment(Units.UNITS.resolve(template), service.shortName()));
    }

    @Test
    void everyServiceGetsTheLauncherVariablesAndNoOthers() {
        for (String template : List.of(Units.JVM_TEMPLATE, Units.NATIVE_TEMPLATE)) {
            for (ServiceId service : ServiceId.values()) {
                Set<String> unit = new TreeSet<>(unitEnv(template, service).keySet());
                unit.removeAll(UNIT_ONLY);
                Set<String> launcher = new TreeSet<>(launcherEnv(service).keySet());
                launcher.removeAll(UNIT_ONLY);
                assertThat(unit).as("%s %s", template, service.shortName()).isEqualTo(launcher);
            }
        }
    }

    @Test
    void servicesFindEachOtherWhereTheLauncherPutsThem() {
        for (ServiceId service : ServiceId.values()) {
            Map<String, String> unit = unitEnv(Units.JVM_TEMPLATE, service);
            Map<String, String> launcher = launcherEnv(service);
            assertThat(unit.get("QUARKUS_HTTP_PORT")).isEqualTo(launcher.get("QUARKUS_HTTP_PORT"));
            for (ServiceId other : ServiceId.values()) {
                if (other != service) {
                    assertThat(unit.get(other.hostEnv())).as("%s: %s", service, other.hostEnv())
                            .isEqualTo(launcher.get(other.hostEnv()));
                    assertThat(unit.get(other.portEnv())).as("%s: %s", service, other.portEnv())
                            .isEqualTo(launcher.get(other.portEnv()));
                }
            }
            assertThat(unit).doesNotContainKeys(service.hostEnv(), service.portEnv());
            // Home Assistant's Wyoming ports: where the launcher puts them, only for tts and stt.
            assertThat(unit.get(service.wyomingPortEnv())).as(service.shortName())
                    .isEqualTo(launcher.get(service.wyomingPortEnv()))
                    .isEqualTo(service.servesWyoming() ? String.valueOf(service.defaultWyomingPort()) : null);
            assertThat(unit.containsKey(BootstrapApiKey.ENV)).as(service.shortName())
                    .isEqualTo(service == ServiceId.MCP_CONFIG);
        }
    }

    @Test
    void infrastructureDefaultsAreTheLaunchers() {
        Map<String, String> unit = unitEnv(Units.JVM_TEMPLATE, ServiceId.MCP_CONFIG);
        PostgresSettings pg = PostgresSettings.fromEnv(Map.of());
        MqttSettings mqtt = MqttSettings.fromEnv(Map.of());
        assertThat(unit).containsEntry("HEARTH_DB_HOST", pg.host())
                .containsEntry("HEARTH_DB_PORT", String.valueOf(pg.port()))
                .containsEntry("HEARTH_DB_USER", pg.user())
                .containsEntry("HEARTH_DB_NAME", SuiteConfig.DEFAULT_DATABASE)
                .containsEntry("HEARTH_REDIS_URL", Redis.urlFromEnv(Map.of()).toString())
                .containsEntry("HEARTH_MQTT_HOST", mqtt.host())
                .containsEntry("HEARTH_MQTT_PORT", String.valueOf(mqtt.port()));
    }

    @Test
    void jvmUnitsRunTheLaunchersJavaCommand() {
        ServiceJars jars = new ServiceJars(Units.REPO);
        for (ServiceId service : ServiceId.values()) {
            List<String> unit = Units.command(Units.UNITS.resolve(Units.JVM_TEMPLATE), service.shortName(),
                    unitEnv(Units.JVM_TEMPLATE, service));
            Path repoJar = jars.jar(service);
            // The install copies <module>/target/quarkus-app/ to /opt/hearth/<service>/.
            assertThat(repoJar.getParent().getFileName().toString()).isEqualTo("quarkus-app");
            Path installedJar = Units.INSTALL.resolve(service.shortName()).resolve(repoJar.getFileName());
            List<String> launcher = new ArrayList<>(JavaCommand.forJar(installedJar, config.javaOpts(service)));
            if (JavaCommand.detachesSessions()) {
                launcher.remove(0); // setsid: the launcher's own process-group handling; systemd does that itself
            }
            assertThat(Path.of(unit.get(0)).getFileName().toString()).isEqualTo("java");
            assertThat(Path.of(launcher.get(0)).getFileName().toString()).isEqualTo("java");
            assertThat(unit.subList(1, unit.size())).as(service.shortName())
                    .isEqualTo(launcher.subList(1, launcher.size()));
        }
        assertThat(config.javaOpts(ServiceId.GATEWAY)).isEqualTo(SuiteConfig.DEFAULT_JAVA_OPTS);
    }

    @Test
    void nativeUnitsRunTheInstalledBinaryWithTheSameEnvironment() {
        for (ServiceId service : ServiceId.values()) {
            Map<String, String> env = unitEnv(Units.NATIVE_TEMPLATE, service);
            List<String> command = Units.command(Units.UNITS.resolve(Units.NATIVE_TEMPLATE), service.shortName(), env);
            assertThat(command.get(0)).isEqualTo(Units.INSTALL.resolve("bin/hearth-" + service.shortName()).toString());
            assertThat(command.subList(1, command.size())).containsExactly(env.get("NATIVE_OPTS").split("\\s+"));
            assertThat(env).isEqualTo(unitEnv(Units.JVM_TEMPLATE, service));
        }
    }
}
