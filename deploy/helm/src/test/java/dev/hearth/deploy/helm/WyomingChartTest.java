package dev.hearth.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.deploy.helm.HearthChart.ValueSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Wyoming ports Home Assistant uses — tts 10200, stt 10300 — are in the chart: a named
 * container port, a {@code wyoming} Service port, the variable that sets the server's port, a
 * NetworkPolicy rule letting the LAN in (narrowable to a CIDR or Home Assistant's namespace), and
 * on request a LoadBalancer/NodePort Service with that port alone.
 */
class WyomingChartTest {

    private static final Map<String, Integer> WYOMING = Map.of("tts", 10200, "stt", 10300);

    @TempDir
    Path dir;

    private static Container container(Rendered r, String component) {
        return r.deployment(component).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static NetworkPolicy policy(Rendered r, String component) {
        return r.named(NetworkPolicy.class, "hearth-" + component);
    }

    private static List<NetworkPolicyIngressRule> rulesForPort(NetworkPolicy policy, int port) {
        return policy.getSpec().getIngress().stream()
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port)).toList();
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void ttsAndSttServeWyomingOnTheirPortsAndTheLanMayReachThem(ValueSet set) {
        Rendered r = new Rendered(HearthChart.render(set));
        WYOMING.forEach((component, port) -> {
            Container c = container(r, component);
            assertThat(c.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .contains(org.assertj.core.groups.Tuple.tuple("wyoming", port));
            assertThat(r.configMapEnv(c)).containsEntry("HEARTH_" + component.toUpperCase() + "_WYOMING_SERVER_PORT",
                    String.valueOf(port));
            Service service = r.named(Service.class, "hearth-" + component);
            ServicePort wyoming = service.getSpec().getPorts().stream().filter(p -> p.getName().equals("wyoming"))
                    .findFirst().orElseThrow();
            assertThat(wyoming.getPort()).isEqualTo(port);
            assertThat(wyoming.getTargetPort().getStrVal()).isEqualTo("wyoming");
            assertThat(wyoming.getProtocol()).isEqualTo("TCP");
            // Home Assistant on the LAN (private ranges) gets to the Wyoming port, and only to it.
            List<NetworkPolicyIngressRule> rules = rulesForPort(policy(r, component), port);
            assertThat(rules).hasSize(1);
            assertThat(rules.get(0).getFrom()).extracting(peer -> peer.getIpBlock().getCidr())
                    .containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
            assertThat(rules.get(0).getPorts()).hasSize(1);
            assertThat(r.all(Service.class)).extracting(s -> s.getMetadata().getName())
                    .doesNotContain("hearth-" + component + "-wyoming");
        });
        for (String other : List.of("gateway", "router", "llm-adapter", "mcp-config", "zigbee")) {
            assertThat(container(r, other).getPorts()).extracting(ContainerPort::getName).containsExactly("http");
            assertThat(r.configMapEnv(container(r, other))).doesNotContainKeys("HEARTH_TTS_WYOMING_SERVER_PORT",
                    "HEARTH_STT_WYOMING_SERVER_PORT");
        }
    }

    @Test
    void homeAssistantOutsideTheClusterGetsALoadBalancerWithTheWyomingPortAlone() throws Exception {
        Path values = dir.resolve("ha.yaml");
        Files.writeString(values, """
                stt:
                  wyoming:
                    port: 10301
                    service:
                      type: LoadBalancer
                      loadBalancerSourceRanges: [192.168.1.0/24]
                networkPolicy:
                  wyomingFrom:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: home-assistant
                  speechServersTo:
                    - ipBlock: {cidr: 192.168.1.30/32}
                  speechServerPorts: [10300, 8000]
                """);
        Rendered r = new Rendered(HearthChart.parse(HearthChart.template(List.of(values), Map.of())));
        Service lan = r.named(Service.class, "hearth-stt-wyoming");
        assertThat(lan.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(lan.getSpec().getLoadBalancerSourceRanges()).containsExactly("192.168.1.0/24");
        assertThat(lan.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("wyoming", 10301));
        assertThat(r.selected(lan.getSpec().getSelector())).containsExactly(r.deployment("stt"));
        assertThat(r.configMapEnv(container(r, "stt"))).containsEntry("HEARTH_STT_WYOMING_SERVER_PORT", "10301");

        List<NetworkPolicyIngressRule> rules = rulesForPort(policy(r, "stt"), 10301);
        assertThat(rules).hasSize(1);
        NetworkPolicyPeer peer = rules.get(0).getFrom().get(0);
        assertThat(peer.getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", "home-assistant");
        // The remote speech servers are reachable from tts and stt only.
        for (String component : List.of("tts", "stt")) {
            assertThat(policy(r, component).getSpec().getEgress()).anyMatch(rule -> rule.getTo() != null
                    && rule.getTo().stream().anyMatch(p -> p.getIpBlock() != null
                            && "192.168.1.30/32".equals(p.getIpBlock().getCidr()))
                    && rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 10300));
        }
        assertThat(policy(r, "router").getSpec().getEgress()).noneMatch(rule -> rule.getPorts().stream()
                .anyMatch(p -> p.getPort().getIntVal() == 8000));
    }

    @Test
    void theSchemaRefusesABadWyomingServiceType() throws Exception {
        Path values = dir.resolve("bad.yaml");
        Files.writeString(values, """
                tts:
                  wyoming:
                    port: 10200
                    service:
                      type: Ingress
                """);
        assertThatThrownBy(() -> HearthChart.template(List.of(values), Map.of()))
                .hasMessageContaining("type");
    }
}
