package dev.hearth.deploy.helm;

import dev.hearth.launcher.ServiceId;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's application.properties says it needs from its environment: the endpoint settings
 * its Quarkus configuration reads ({@code ${hearth.router.host}} is HEARTH_ROUTER_HOST), and the
 * other services its gRPC clients call ({@code quarkus.grpc.clients.*.host}). Read from the source
 * so that the chart and the units are checked against what the code uses, not a second list.
 */
public final class ServiceProperties {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");
    /** Endpoint settings: where something is and how to log in to it. Tunables (timeouts...) have defaults. */
    private static final Pattern ENDPOINT = Pattern.compile(
            "hearth\\.[a-z-]+\\.(host|port|url|name|user|password|prefix|base-topic)");
    private static final Pattern GRPC_HOST = Pattern.compile("quarkus\\.grpc\\.clients\\.([a-z-]+)\\.host");

    private final Properties properties = new Properties();

    private ServiceProperties(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ServiceProperties of(ServiceId service) {
        return new ServiceProperties(HearthChart.REPO.resolve(service.module())
                .resolve("src/main/resources/application.properties"));
    }

    /** HEARTH_* variables the configuration references without a default of its own. */
    public Set<String> requiredEnv() {
        Set<String> env = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            Matcher m = REFERENCE.matcher(properties.getProperty(key));
            while (m.find()) {
                String name = m.group(1);
                if (m.group(2) == null && ENDPOINT.matcher(name).matches()) {
                    env.add(toEnv(name));
                } else if (m.group(2) == null && name.startsWith("HEARTH_")) {
                    env.add(name);
                }
            }
        }
        return env;
    }

    /** The services this one calls over gRPC, from the host each gRPC client is pointed at. */
    public Set<ServiceId> grpcCallees() {
        Set<ServiceId> callees = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (!GRPC_HOST.matcher(key).matches()) {
                continue;
            }
            Matcher m = REFERENCE.matcher(properties.getProperty(key));
            if (!m.find()) {
                throw new AssertionError(key + " is not taken from a hearth.*.host setting: " + properties.getProperty(key));
            }
            String env = toEnv(m.group(1));
            callees.add(Arrays.stream(ServiceId.values()).filter(s -> s.hostEnv().equals(env)).findFirst()
                    .orElseThrow(() -> new AssertionError(key + " points at " + env + ", no service's address")));
        }
        return callees;
    }

    /** hearth.llm-adapter.host is HEARTH_LLM_ADAPTER_HOST, as SmallRye Config maps the environment. */
    static String toEnv(String property) {
        return property.toUpperCase().replace('.', '_').replace('-', '_');
    }
}
