package dev.hearth.deploy.helm;

import dev.hearth.launcher.ServiceId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images the chart runs are the images the build makes: every service has both Dockerfiles
 * (UBI, uid 185, its one port) and the Jib extension configured to the same name and bases.
 * No image is built here (Jib would have to pull its base image).
 */
class ContainerImageTest {

    @Test
    void everyServiceHasJvmAndNativeDockerfilesRunningAsUid185OnItsPort() throws IOException {
        for (ServiceId service : ServiceId.values()) {
            Path docker = HearthChart.REPO.resolve(service.module()).resolve("src/main/docker");
            for (String flavor : List.of("jvm", "native")) {
                List<String> lines = Files.readAllLines(docker.resolve("Dockerfile." + flavor)).stream()
                        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
                String from = lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow().substring(5);
                assertThat(from).as("%s %s", service.module(), flavor).startsWith("registry.access.redhat.com/ubi9/")
                        .doesNotEndWith(":latest").matches(".*:[0-9][^:]*");
                assertThat(lines).as("%s %s", service.module(), flavor)
                        .contains("USER 185", "EXPOSE " + service.defaultPort());
                assertThat(from).isEqualTo(jibBase(service, flavor));
            }
            assertThat(Files.readString(docker.resolve("Dockerfile.jvm")))
                    .contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/")
                    .contains("ENV JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
        }
    }

    @Test
    void jibBuildsTheImageNamesTheChartUses() throws IOException {
        Map<String, Object> values = HearthChart.readYaml(HearthChart.DIR.resolve("values.yaml"));
        @SuppressWarnings("unchecked")
        String repository = (String) ((Map<String, Object>) values.get("image")).get("repository");
        Rendered r = new Rendered(HearthChart.render(HearthChart.ValueSet.DEFAULT));
        for (ServiceId service : ServiceId.values()) {
            Properties p = properties(service);
            assertThat(Files.readString(HearthChart.REPO.resolve(service.module()).resolve("pom.xml")))
                    .contains("<artifactId>quarkus-container-image-jib</artifactId>");
            String image = p.getProperty("quarkus.container-image.group") + "/" + p.getProperty("quarkus.container-image.name");
            assertThat(image).isEqualTo(repository + "/" + service.module());
            assertThat(r.deployment(service.shortName()).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(image + ":" + System.getProperty("hearth.version"));
            assertThat(p.getProperty("quarkus.jib.user")).isEqualTo("185");
            assertThat(p.getProperty("quarkus.container-image.build")).as("never built by a plain package").isNull();
        }
    }

    private static String jibBase(ServiceId service, String flavor) throws IOException {
        return properties(service).getProperty("quarkus.jib.base-" + flavor + "-image");
    }

    private static Properties properties(ServiceId service) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(HearthChart.REPO.resolve(service.module())
                .resolve("src/main/resources/application.properties"))) {
            p.load(reader);
        }
        return p;
    }
}
