package dev.hearth.deploy.helm;

import dev.hearth.deploy.helm.HearthChart.ValueSet;
import dev.hearth.launcher.ServiceId;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules every rendering must meet, in the spirit of kube-score / kube-linter, over the default,
 * minimal and production value sets.
 */
class ChartRulesTest {

    private static final Map<ValueSet, Rendered> RENDERED = new EnumMap<>(ValueSet.class);

    private static Rendered rendered(ValueSet set) {
        return RENDERED.computeIfAbsent(set, s -> new Rendered(HearthChart.render(s)));
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as("%s: one container", deployment.getMetadata().getName()).hasSize(1);
        return containers.get(0);
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyDocumentIsAKnownKubernetesObjectWithoutUnknownFields(ValueSet set) {
        for (HasMetadata object : rendered(set).objects()) {
            assertThat(unknownFields(object, object.getKind(), new IdentityHashMap<>()))
                    .as("%s %s: fields the Kubernetes model does not know", object.getKind(), object.getMetadata().getName())
                    .isEmpty();
            assertThat(object.getMetadata().getName()).hasSizeLessThanOrEqualTo(63);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void aDeploymentServiceConfigMapAndNetworkPolicyPerService(ValueSet set) {
        Rendered r = rendered(set);
        assertThat(r.all(Deployment.class)).hasSize(ServiceId.values().length);
        for (ServiceId service : ServiceId.values()) {
            Deployment deployment = r.deployment(service.shortName());
            Service svc = r.named(Service.class, deployment.getMetadata().getName());
            // HTTP (gRPC, health, metrics), and Wyoming for Home Assistant on tts and stt.
            List<Integer> ports = service.servesWyoming() ? List.of(service.defaultPort(), service.defaultWyomingPort())
                    : List.of(service.defaultPort());
            assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactlyElementsOf(ports);
            assertThat(container(deployment).getPorts()).extracting(ContainerPort::getContainerPort)
                    .containsExactlyElementsOf(ports);
            r.named(ConfigMap.class, deployment.getMetadata().getName());
            r.named(NetworkPolicy.class, deployment.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyContainerHasProbesOnQuarkusHealthAndResources(ValueSet set) {
        for (Deployment deployment : rendered(set).all(Deployment.class)) {
            Container c = container(deployment);
            String name = deployment.getMetadata().getName();
            assertThat(path(c.getReadinessProbe())).as("%s readiness", name).isEqualTo("/q/health/ready");
            assertThat(path(c.getLivenessProbe())).as("%s liveness", name).isEqualTo("/q/health/live");
            assertThat(path(c.getStartupProbe())).as("%s startup", name).isEqualTo("/q/health/started");
            for (Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
                assertThat(c.getPorts()).extracting(ContainerPort::getName)
                        .contains(probe.getHttpGet().getPort().getStrVal());
            }
            assertThat(c.getResources().getRequests()).as("%s requests", name).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as("%s limits", name).containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyPodMeetsPodSecurityRestrictedWithAReadOnlyRoot(ValueSet set) {
        for (Deployment deployment : rendered(set).all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            PodSecurityContext podSc = pod.getSecurityContext();
            SecurityContext sc = container(deployment).getSecurityContext();
            assertThat(pod.getHostNetwork()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostPID()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostIPC()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
            assertThat(pod.getEnableServiceLinks()).as("%s: no HEARTH_*_PORT=tcp://... from Service links", name).isFalse();
            assertThat(sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podSc.getRunAsNonRoot()).as(name).isTrue();
            assertThat(sc.getRunAsUser() != null ? sc.getRunAsUser() : podSc.getRunAsUser()).as(name).isPositive();
            assertThat(sc.getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(sc.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
            Capabilities caps = sc.getCapabilities();
            assertThat(caps.getDrop()).as(name).containsExactly("ALL");
            assertThat(caps.getAdd() == null || caps.getAdd().isEmpty()).as(name).isTrue();
            String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                    : podSc.getSeccompProfile().getType();
            assertThat(seccomp).as(name).isEqualTo("RuntimeDefault");
            for (Volume volume : pod.getVolumes()) {
                assertThat(volume.getHostPath()).as("%s: no hostPath", name).isNull();
            }
            assertThat(container(deployment).getVolumeMounts())
                    .as("%s: a writable /tmp for Vert.x's file cache", name)
                    .anyMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly()));
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void imagesArePinnedToTheAppVersion(ValueSet set) {
        String appVersion = System.getProperty("hearth.version");
        for (Deployment deployment : rendered(set).all(Deployment.class)) {
            String image = container(deployment).getImage();
            assertThat(image).doesNotEndWith(":latest").contains(":");
            assertThat(image.substring(image.lastIndexOf(':') + 1)).as(image).isEqualTo(appVersion);
        }
    }

    @Test
    void chartAppVersionIsTheProjectVersion() {
        assertThat(HearthChart.readYaml(HearthChart.DIR.resolve("Chart.yaml")).get("appVersion"))
                .isEqualTo(System.getProperty("hearth.version"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void aDisruptionBudgetForEveryMultiReplicaDeployment(ValueSet set) {
        Rendered r = rendered(set);
        for (Deployment deployment : r.all(Deployment.class)) {
            int replicas = minReplicas(r, deployment);
            List<PodDisruptionBudget> budgets = r.all(PodDisruptionBudget.class).stream()
                    .filter(p -> r.selected(p.getSpec().getSelector()).contains(deployment)).toList();
            if (replicas > 1) {
                assertThat(budgets).as("%s: %d replicas", deployment.getMetadata().getName(), replicas).hasSize(1);
            }
        }
        for (PodDisruptionBudget pdb : r.all(PodDisruptionBudget.class)) {
            assertThat(r.selected(pdb.getSpec().getSelector())).as(pdb.getMetadata().getName()).hasSize(1);
        }
    }

    @Test
    void minimalHasOneReplicaEachAndNoAutoscalersOrBudgets() {
        Rendered r = rendered(ValueSet.MINIMAL);
        assertThat(r.all(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
        assertThat(r.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(r.all(PodDisruptionBudget.class)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULT", "PRODUCTION"})
    void autoscalersForGatewayRouterAndLlmAdapterTargetTheirDeployments(ValueSet set) {
        Rendered r = rendered(set);
        List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class);
        assertThat(hpas).hasSize(3);
        Set<String> scaled = new TreeSet<>();
        for (HorizontalPodAutoscaler hpa : hpas) {
            var target = hpa.getSpec().getScaleTargetRef();
            assertThat(target.getKind()).isEqualTo("Deployment");
            assertThat(target.getApiVersion()).isEqualTo("apps/v1");
            Deployment deployment = r.named(Deployment.class, target.getName());
            assertThat(deployment.getSpec().getReplicas()).as("replicas are the HPA's").isNull();
            assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            scaled.add(Rendered.podLabels(deployment).get("app.kubernetes.io/component"));
        }
        assertThat(scaled).containsExactlyInAnyOrder("gateway", "router", "llm-adapter");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void servicesSelectExistingPodsAndTargetExistingPorts(ValueSet set) {
        Rendered r = rendered(set);
        for (Service svc : r.all(Service.class)) {
            List<Deployment> selected = r.selected(svc.getSpec().getSelector());
            assertThat(selected).as(svc.getMetadata().getName()).hasSize(1);
            Container c = container(selected.get(0));
            for (ServicePort port : svc.getSpec().getPorts()) {
                assertThat(c.getPorts()).as("%s → %s", svc.getMetadata().getName(), port.getTargetPort())
                        .anyMatch(p -> port.getTargetPort().getStrVal() != null
                                ? port.getTargetPort().getStrVal().equals(p.getName())
                                : port.getTargetPort().getIntVal().equals(p.getContainerPort()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void ingressIsWebSocketReadyAndReachesTheGateway(ValueSet set) {
        Rendered r = rendered(set);
        Ingress ingress = r.all(Ingress.class).get(0);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
        ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
            Service backend = r.named(Service.class, path.getBackend().getService().getName());
            assertThat(r.selected(backend.getSpec().getSelector()).get(0))
                    .isEqualTo(r.deployment("gateway"));
            assertThat(backend.getSpec().getPorts()).extracting(ServicePort::getName)
                    .contains(path.getBackend().getService().getPort().getName());
        }));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void networkPoliciesSelectExistingPodsAndAllowOnlyTheSuitesPaths(ValueSet set) {
        Rendered r = rendered(set);
        for (NetworkPolicy policy : r.all(NetworkPolicy.class)) {
            assertThat(r.selected(policy.getSpec().getPodSelector())).as(policy.getMetadata().getName()).hasSize(1);
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            for (NetworkPolicyPeer peer : peers(policy)) {
                if (peer.getPodSelector() != null && peer.getNamespaceSelector() == null) {
                    assertThat(r.selected(peer.getPodSelector())).as("%s: a peer selecting no pod", policy.getMetadata().getName())
                            .hasSize(1);
                }
            }
        }
        // The gRPC wiring of every application.properties is allowed both ways; nothing else inside the suite.
        for (ServiceId caller : ServiceId.values()) {
            Set<ServiceId> callees = ServiceProperties.of(caller).grpcCallees();
            for (ServiceId callee : callees) {
                assertThat(egressAllows(r, caller, callee)).as("%s → %s egress", caller, callee).isTrue();
                assertThat(ingressAllows(r, callee, caller)).as("%s → %s ingress", caller, callee).isTrue();
            }
            for (ServiceId other : ServiceId.values()) {
                if (ingressAllows(r, other, caller)) {
                    assertThat(egressAllows(r, caller, other)).as("%s → %s: ingress without egress", caller, other).isTrue();
                }
            }
        }
        assertThat(ingressAllows(r, ServiceId.ROUTER, ServiceId.GATEWAY)).isTrue();
        assertThat(ingressAllows(r, ServiceId.LLM_ADAPTER, ServiceId.GATEWAY)).isFalse();
        assertThat(ingressAllows(r, ServiceId.ZIGBEE, ServiceId.ROUTER)).isFalse();
        // From outside the suite, only the gateway is reachable (through the ingress controller's namespace).
        for (ServiceId service : ServiceId.values()) {
            NetworkPolicy policy = policyOf(r, service);
            boolean fromNamespace = policy.getSpec().getIngress().stream()
                    .flatMap(rule -> rule.getFrom().stream())
                    .anyMatch(peer -> peer.getNamespaceSelector() != null
                            && peer.getNamespaceSelector().getMatchLabels().containsValue("ingress-nginx"));
            assertThat(fromNamespace).as(service.shortName()).isEqualTo(service == ServiceId.GATEWAY);
            assertThat(policy.getSpec().getEgress()).as("%s: DNS", service)
                    .anyMatch(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 53));
        }
        assertThat(egressPorts(policyOf(r, ServiceId.MCP_CONFIG))).contains(5432, 6379, 443);
        assertThat(egressPorts(policyOf(r, ServiceId.GATEWAY))).contains(6379).doesNotContain(5432, 443, 1883);
        assertThat(egressPorts(policyOf(r, ServiceId.ZIGBEE))).contains(1883).doesNotContain(5432, 6379, 443);
        assertThat(egressPorts(policyOf(r, ServiceId.LLM_ADAPTER))).contains(443).doesNotContain(5432, 6379);
        // stt-service reads the home's device names from mcp-config (the command grammar).
        assertThat(egressPorts(policyOf(r, ServiceId.STT))).containsOnly(53, 8085);
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyServiceGetsTheEnvironmentItsPropertiesReference(ValueSet set) {
        Rendered r = rendered(set);
        for (ServiceId service : ServiceId.values()) {
            Container c = container(r.deployment(service.shortName()));
            Set<String> env = r.envNames(c);
            assertThat(env).as(service.shortName()).containsAll(ServiceProperties.of(service).requiredEnv());
            assertThat(env).as("%s never gets its own address", service.shortName())
                    .doesNotContain(service.hostEnv(), service.portEnv());
            assertThat(r.configMapEnv(c)).containsEntry("QUARKUS_HTTP_PORT", String.valueOf(service.defaultPort()));
            for (ServiceId other : ServiceId.values()) {
                if (other != service) {
                    assertThat(r.configMapEnv(c)).containsEntry(other.portEnv(), String.valueOf(other.defaultPort()))
                            .containsEntry(other.hostEnv(), "hearth-" + other.shortName());
                }
            }
            Set<String> secrets = Rendered.secretEnv(c);
            assertThat(secrets.contains("HEARTH_DB_PASSWORD")).as(service.shortName())
                    .isEqualTo(ServiceProperties.of(service).requiredEnv().contains("HEARTH_DB_PASSWORD"));
            assertThat(secrets.contains("HEARTH_BOOTSTRAP_API_KEY")).isEqualTo(service == ServiceId.MCP_CONFIG);
            boolean keys = service == ServiceId.LLM_ADAPTER || service == ServiceId.MCP_CONFIG;
            assertThat(secrets.containsAll(List.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
                    "OPENROUTER_API_KEY"))).as(service.shortName()).isEqualTo(keys);
            for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(ref.getName()).isNotBlank();
                boolean required = var.getName().equals("HEARTH_DB_PASSWORD") || var.getName().startsWith("HEARTH_MQTT_");
                assertThat(ref.getOptional()).as(var.getName()).isEqualTo(required ? null : Boolean.TRUE);
            }
        }
    }

    private static boolean egressAllows(Rendered r, ServiceId from, ServiceId to) {
        Deployment target = r.deployment(to.shortName());
        for (NetworkPolicyEgressRule rule : policyOf(r, from).getSpec().getEgress()) {
            boolean port = rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == to.defaultPort());
            boolean peer = rule.getTo() != null && rule.getTo().stream().anyMatch(
                    p -> p.getPodSelector() != null && r.selected(p.getPodSelector()).contains(target));
            if (port && peer) {
                return true;
            }
        }
        return false;
    }

    private static boolean ingressAllows(Rendered r, ServiceId to, ServiceId from) {
        Deployment source = r.deployment(from.shortName());
        for (NetworkPolicyIngressRule rule : policyOf(r, to).getSpec().getIngress()) {
            boolean port = rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == to.defaultPort());
            boolean peer = rule.getFrom().stream().anyMatch(
                    p -> p.getPodSelector() != null && p.getNamespaceSelector() == null
                            && r.selected(p.getPodSelector()).contains(source));
            if (port && peer) {
                return true;
            }
        }
        return false;
    }

    private static NetworkPolicy policyOf(Rendered r, ServiceId service) {
        Deployment deployment = r.deployment(service.shortName());
        return r.all(NetworkPolicy.class).stream()
                .filter(p -> r.selected(p.getSpec().getPodSelector()).contains(deployment)).findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy selects " + service));
    }

    private static Set<Integer> egressPorts(NetworkPolicy policy) {
        Set<Integer> ports = new TreeSet<>();
        policy.getSpec().getEgress().forEach(rule -> rule.getPorts().forEach(p -> ports.add(p.getPort().getIntVal())));
        return ports;
    }

    private static List<NetworkPolicyPeer> peers(NetworkPolicy policy) {
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        policy.getSpec().getIngress().forEach(rule -> peers.addAll(rule.getFrom()));
        policy.getSpec().getEgress().forEach(rule -> {
            if (rule.getTo() != null) {
                peers.addAll(rule.getTo());
            }
        });
        return peers;
    }

    private static String path(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPath();
    }

    /**
     * Fields the fabric8 model did not recognise end up in additionalProperties: a typo in a
     * template (readinesProbe) would otherwise parse fine and be dropped by the API server.
     */
    private static List<String> unknownFields(Object value, String path, IdentityHashMap<Object, Boolean> seen) {
        List<String> unknown = new ArrayList<>();
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return unknown;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (value instanceof Map<?, ?> || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return unknown;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            try {
                Object child = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknown.addAll(unknownFields(child, path + "." + getter.getName().substring(3), seen));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return unknown;
    }

    private static int minReplicas(Rendered r, Deployment deployment) {
        return r.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(deployment.getMetadata().getName()))
                .map(h -> h.getSpec().getMinReplicas()).findFirst()
                .orElse(deployment.getSpec().getReplicas());
    }
}
