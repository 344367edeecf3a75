package dev.hearth.launcher;

import dev.hearth.deploy.helm.HearthChart;
import dev.hearth.deploy.helm.HearthChart.ValueSet;
import dev.hearth.deploy.helm.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pod gets the variables the launcher's ServiceEnvironment gives the same service on one host,
 * and nothing the launcher would keep from it. By design a secret (database password, MQTT login,
 * bootstrap key) goes only to the service that reads it, where the launcher passes its whole
 * environment on; provider keys come from the existing Secret; JVM images get JAVA_OPTS_APPEND.
 */
class ChartEnvironmentMatchesLauncherTest {

    /** Secrets, given only where a service's configuration reads them (see ChartRulesTest). */
    private static final Set<String> SECRETS = Set.of("HEARTH_DB_PASSWORD", "HEARTH_MQTT_USERNAME",
            "HEARTH_MQTT_PASSWORD", BootstrapApiKey.ENV);
    private static final Set<String> CHART_ONLY = Set.of("JAVA_OPTS_APPEND", "HEARTH_OLLAMA_URL",
            "OPENAI_API_KEY", "OPENROUTER_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY");

    @TempDir
    static Path dataDir;
    static SuiteConfig config;
    static Infrastructure infra;
    static BootstrapApiKey apiKey;

    @BeforeAll
    static void launcherSide() {
        config = SuiteConfig.builder(HearthChart.REPO, dataDir).environment(Map.of())
                .databaseName("hearth_chart_" + UUID.randomUUID().toString().substring(0, 8))
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

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void podsGetTheLaunchersVariables(ValueSet set) {
        Rendered r = new Rendered(HearthChart.render(set));
        for (ServiceId service : ServiceId.values()) {
            Container c = r.deployment(service.shortName()).getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> chart = new TreeSet<>(r.envNames(c));
            chart.removeAll(CHART_ONLY);
            chart.removeAll(SECRETS);
            Set<String> launcher = new TreeSet<>(ServiceEnvironment.of(service, config, infra, apiKey).keySet());
            launcher.removeAll(SECRETS);
            assertThat(chart).as("%s (%s)", service.shortName(), set).isEqualTo(launcher);
            Map<String, String> configMap = r.configMapEnv(c);
            assertThat(configMap.get("HEARTH_REDIS_PREFIX")).isEqualTo(config.redisPrefix());
            assertThat(configMap.get("HEARTH_ZIGBEE_BASE_TOPIC")).isEqualTo(config.zigbeeBaseTopic());
            assertThat(configMap.get("HEARTH_DB_NAME")).isEqualTo(SuiteConfig.DEFAULT_DATABASE);
        }
    }
}
