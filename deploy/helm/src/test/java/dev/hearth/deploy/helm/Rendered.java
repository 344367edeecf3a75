package dev.hearth.deploy.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A rendered manifest, with the look-ups the rule checks need. */
public record Rendered(List<HasMetadata> objects) {

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** The Deployment whose pods carry the component label (gateway, llm-adapter, ...). */
    public Deployment deployment(String component) {
        return all(Deployment.class).stream()
                .filter(d -> component.equals(podLabels(d).get("app.kubernetes.io/component")))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment for " + component));
    }

    public static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    /** Deployments whose pods a selector (matchLabels only, as the chart writes them) selects. */
    public List<Deployment> selected(Map<String, String> matchLabels) {
        return all(Deployment.class).stream()
                .filter(d -> podLabels(d).entrySet().containsAll(matchLabels.entrySet())).toList();
    }

    public List<Deployment> selected(LabelSelector selector) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("the chart selects by matchLabels only: " + selector);
        }
        return selected(selector.getMatchLabels());
    }

    /** Every variable a container gets: its env and the keys of the ConfigMaps it takes whole. */
    public Set<String> envNames(Container container) {
        Set<String> names = new TreeSet<>();
        if (container.getEnv() != null) {
            container.getEnv().stream().map(EnvVar::getName).forEach(names::add);
        }
        names.addAll(configMapEnv(container).keySet());
        return names;
    }

    public Map<String, String> configMapEnv(Container container) {
        Map<String, String> env = new java.util.TreeMap<>();
        if (container.getEnvFrom() != null) {
            for (EnvFromSource source : container.getEnvFrom()) {
                if (source.getConfigMapRef() == null) {
                    throw new AssertionError("envFrom other than a ConfigMap: " + source);
                }
                env.putAll(named(ConfigMap.class, source.getConfigMapRef().getName()).getData());
            }
        }
        return env;
    }

    /** Names of the variables taken from a Secret. */
    public static Set<String> secretEnv(Container container) {
        return container.getEnv() == null ? Set.of() : container.getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(EnvVar::getName).collect(Collectors.toCollection(TreeSet::new));
    }
}
