package dev.hearth.deploy.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under deploy/helm/hearth, rendered and linted through helm-java (Helm as a library). */
public final class HearthChart {

    public static final Path REPO = Path.of(System.getProperty("hearth.repo", "../..")).toAbsolutePath().normalize();
    public static final Path DIR = REPO.resolve("deploy/helm/hearth");
    public static final String RELEASE = "hearth";
    public static final String NAMESPACE = "hearth";
    /** helm template assumes an old cluster otherwise; the chart needs 1.25+ (policy/v1, autoscaling/v2). */
    public static final String KUBE_VERSION = "1.30.0";

    private static final KubernetesSerialization KUBE = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private HearthChart() {
    }

    /** A value set: the chart's values.yaml alone ("default") or with values-NAME.yaml over it. */
    public enum ValueSet {
        DEFAULT(null), MINIMAL("values-minimal.yaml"), PRODUCTION("values-production.yaml");

        private final String file;

        ValueSet(String file) {
            this.file = file;
        }

        public List<Path> files() {
            return file == null ? List.of() : List.of(DIR.resolve(file));
        }
    }

    public static String template(ValueSet set) {
        return template(set.files(), Map.of());
    }

    public static String template(List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(command::withValuesFile);
        sets.forEach(command::set);
        return command.call();
    }

    public static List<HasMetadata> render(ValueSet set) {
        return parse(template(set));
    }

    /** Every document of a rendered manifest as a typed Kubernetes object. */
    public static List<HasMetadata> parse(String manifest) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifest.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                continue;
            }
            Object parsed = KUBE.unmarshal(document);
            if (!(parsed instanceof HasMetadata object) || parsed instanceof GenericKubernetesResource) {
                throw new AssertionError("not a known Kubernetes kind:\n" + document);
            }
            objects.add(object);
        }
        return objects;
    }

    /** helm lint --strict over a copy of the chart whose values.yaml is the value set merged. */
    public static LintResult lint(ValueSet set, Path workDir) {
        Path copy = workDir.resolve("hearth");
        copyTree(DIR, copy);
        Map<String, Object> values = readYaml(DIR.resolve("values.yaml"));
        for (Path file : set.files()) {
            values = merge(values, readYaml(file));
        }
        try {
            YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readYaml(Path file) {
        try {
            return YAML.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's coalescing: maps merge key by key, anything else in {@code over} replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        over.forEach((key, value) -> {
            Object old = merged.get(key);
            if (old instanceof Map && value instanceof Map) {
                merged.put(key, merge((Map<String, Object>) old, (Map<String, Object>) value));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
