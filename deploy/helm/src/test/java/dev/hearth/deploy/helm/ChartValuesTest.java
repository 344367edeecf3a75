package dev.hearth.deploy.helm;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values that must not render, each with a message that says what to fix; and overrides that must. */
class ChartValuesTest {

    @TempDir
    Path dir;

    private String templateWith(String valuesYaml) throws IOException {
        Path file = Files.writeString(dir.resolve("bad-values.yaml"), valuesYaml);
        return HearthChart.template(List.of(file), Map.of());
    }

    @Test
    void missingProviderSecretNameFails() {
        assertThatThrownBy(() -> templateWith("secrets:\n  existingSecret: \"\"\n"))
                .hasMessageContaining("secrets.existingSecret is required");
    }

    @Test
    void missingDatabasePasswordSecretFails() {
        assertThatThrownBy(() -> templateWith("postgresql:\n  existingSecret: \"\"\n"))
                .hasMessageContaining("postgresql.existingSecret is required");
    }

    @Test
    void missingEndpointsFail() {
        assertThatThrownBy(() -> templateWith("postgresql:\n  host: \"\"\n"))
                .hasMessageContaining("postgresql.host is required");
        assertThatThrownBy(() -> templateWith("redis:\n  url: \"\"\n")).hasMessageContaining("redis.url is required");
        assertThatThrownBy(() -> templateWith("mqtt:\n  host: \"\"\n")).hasMessageContaining("mqtt.host is required");
    }

    @Test
    void zeroReplicasWithADisruptionBudgetFails() {
        assertThatThrownBy(() -> templateWith("mcpConfig:\n  replicaCount: 0\n  pdb:\n    enabled: true\n"))
                .hasMessageContaining("mcpConfig.pdb.enabled is true but mcpConfig.replicaCount is 0");
    }

    @Test
    void latestTagFails() {
        assertThatThrownBy(() -> templateWith("image:\n  tag: latest\n"))
                .hasMessageContaining("image.tag must not be \"latest\"");
        assertThatThrownBy(() -> templateWith("image:\n  tag: LATEST\n"))
                .hasMessageContaining("image.tag must not be \"latest\"");
    }

    @Test
    void schemaRejectsAWrongType() {
        assertThatThrownBy(() -> templateWith("gateway:\n  replicaCount: two\n")).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> templateWith("image:\n  pullPolicy: Sometimes\n")).hasMessageContaining("pullPolicy");
    }

    @Test
    void autoscalerBoundsAreChecked() {
        assertThatThrownBy(() -> templateWith("router:\n  autoscaling:\n    minReplicas: 5\n    maxReplicas: 2\n"))
                .hasMessageContaining("router.autoscaling.maxReplicas (2) is below minReplicas (5)");
    }

    @Test
    void aPinnedTagAndARegistryOverrideTheImage() throws IOException {
        Rendered r = new Rendered(HearthChart.parse(templateWith(
                "image:\n  registry: registry.lan:5000\n  tag: \"0.1.0\"\n")));
        assertThat(r.deployment("gateway").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.lan:5000/hearth/gateway-service:0.1.0");
    }

    @Test
    void nativeImagesAreTheNativeTagWithoutJvmOptions() throws IOException {
        Rendered r = new Rendered(HearthChart.parse(templateWith("image:\n  flavor: native\n")));
        for (var deployment : r.all(io.fabric8.kubernetes.api.model.apps.Deployment.class)) {
            var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getImage()).endsWith(":" + System.getProperty("hearth.version") + "-native");
            assertThat(r.envNames(container)).doesNotContain("JAVA_OPTS_APPEND");
        }
    }

    @Test
    void anIngressHostWithoutPathsServesEverythingUnderSlash() throws IOException {
        Rendered r = new Rendered(HearthChart.parse(templateWith(
                "ingress:\n  hosts: [{host: hearth.example.org}]\n  tls: [{secretName: t, hosts: [hearth.example.org]}]\n")));
        var rule = r.all(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class).get(0).getSpec().getRules().get(0);
        assertThat(rule.getHost()).isEqualTo("hearth.example.org");
        assertThat(rule.getHttp().getPaths()).singleElement()
                .satisfies(p -> assertThat(p.getPath() + " " + p.getPathType()).isEqualTo("/ Prefix"));
    }

    @Test
    void localLlmCidrsOpenEgressForTheAdapterAndTheOllamaProbe() throws IOException {
        Rendered r = new Rendered(HearthChart.parse(templateWith(
                "localLlm:\n  ollamaUrl: http://192.168.1.20:11434\n  cidrs: [192.168.1.20/32]\n")));
        for (String component : List.of("llm-adapter", "mcp-config")) {
            NetworkPolicy policy = r.named(NetworkPolicy.class, "hearth-" + component);
            assertThat(policy.getSpec().getEgress()).as(component).anyMatch(rule -> rule.getTo() != null
                    && rule.getTo().stream().anyMatch(p -> p.getIpBlock() != null
                    && p.getIpBlock().getCidr().equals("192.168.1.20/32"))
                    && rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 11434));
        }
        Deployment config = r.deployment("mcp-config");
        assertThat(r.configMapEnv(config.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("HEARTH_OLLAMA_URL", "http://192.168.1.20:11434");
    }

    @Test
    void mqttCredentialsComeFromTheirSecretToZigbeeOnly() throws IOException {
        Rendered r = new Rendered(HearthChart.parse(templateWith("mqtt:\n  existingSecret: mqtt-creds\n")));
        assertThat(Rendered.secretEnv(r.deployment("zigbee").getSpec().getTemplate().getSpec().getContainers().get(0)))
                .contains("HEARTH_MQTT_USERNAME", "HEARTH_MQTT_PASSWORD");
        assertThat(Rendered.secretEnv(r.deployment("gateway").getSpec().getTemplate().getSpec().getContainers().get(0)))
                .doesNotContain("HEARTH_MQTT_PASSWORD");
    }
}
