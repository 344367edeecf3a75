package dev.hearth.deploy.systemd;

import dev.hearth.launcher.ServiceId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * systemd-analyze verify over every unit and every instance the suite has. verify checks that
 * ExecStart's program exists and is executable, so it runs over copies whose /opt/hearth points at
 * a temporary install with a stand-in for each native binary and jar; /usr/bin/java is the real one.
 */
class SystemdAnalyzeVerifyTest {

    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    static Path root;
    static Path unitDir;

    @BeforeAll
    static void installCopies() throws IOException {
        Path install = root.resolve("opt/hearth");
        unitDir = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(install.resolve("bin"));
        for (ServiceId service : ServiceId.values()) {
            Path binary = install.resolve("bin/hearth-" + service.shortName());
            Files.writeString(binary, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(install.resolve(service.shortName()));
            Files.writeString(install.resolve(service.shortName()).resolve("quarkus-run.jar"), "");
        }
        try (var units = Files.list(Units.UNITS)) {
            for (Path unit : (Iterable<Path>) units::iterator) {
                String text = Files.readString(unit).replace(Units.INSTALL + "/", install + "/");
                Files.writeString(unitDir.resolve(unit.getFileName()), text);
            }
        }
    }

    @Test
    void theTargetVerifiesClean() throws Exception {
        assertClean(verify(unitDir.resolve(Units.TARGET)));
    }

    @Test
    void everyJvmInstanceVerifiesClean() throws Exception {
        for (ServiceId service : ServiceId.values()) {
            assertClean(verify(unitDir.resolve("hearth@" + service.shortName() + ".service")));
        }
    }

    @Test
    void everyNativeInstanceVerifiesClean() throws Exception {
        for (ServiceId service : ServiceId.values()) {
            assertClean(verify(unitDir.resolve("hearth-native@" + service.shortName() + ".service")));
        }
    }

    @Test
    void aMissingBinaryIsReported() throws Exception {
        Path broken = Files.createDirectories(root.resolve("broken"));
        Files.writeString(broken.resolve(Units.NATIVE_TEMPLATE), Files.readString(Units.UNITS.resolve(Units.NATIVE_TEMPLATE))
                .replace(Units.INSTALL + "/", root.resolve("nowhere") + "/"));
        Result result = verify(broken.resolve("hearth-native@gateway.service"));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("is not executable");
    }

    @Test
    void unitsAreHardenedAndRestartOnFailure() {
        for (String template : List.of(Units.JVM_TEMPLATE, Units.NATIVE_TEMPLATE)) {
            Path unit = Units.UNITS.resolve(template);
            assertThat(Units.single(unit, "Service", "DynamicUser")).isEqualTo("yes");
            assertThat(Units.single(unit, "Service", "ProtectSystem")).isEqualTo("strict");
            assertThat(Units.single(unit, "Service", "NoNewPrivileges")).isEqualTo("yes");
            assertThat(Units.single(unit, "Service", "ProtectHome")).isEqualTo("yes");
            assertThat(Units.single(unit, "Service", "PrivateTmp")).isEqualTo("yes");
            assertThat(Units.single(unit, "Service", "CapabilityBoundingSet")).isEmpty();
            assertThat(Units.single(unit, "Service", "StateDirectory")).isEqualTo("hearth-%i");
            assertThat(Units.single(unit, "Service", "WorkingDirectory")).isEqualTo("%S/hearth-%i");
            assertThat(Units.single(unit, "Service", "Restart")).isEqualTo("on-failure");
            assertThat(Units.single(unit, "Unit", "PartOf")).isEqualTo(Units.TARGET);
            assertThat(Units.single(unit, "Install", "WantedBy")).isEqualTo(Units.TARGET);
        }
        assertThat(Units.single(Units.UNITS.resolve(Units.TARGET), "Install", "WantedBy")).isEqualTo("multi-user.target");
    }

    private static void assertClean(Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("systemd-analyze verify says nothing about a clean unit").isBlank();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result verify(Path unit) throws Exception {
        assertThat(SYSTEMD_ANALYZE).as("systemd-analyze (Debian's systemd package)").isExecutable();
        List<String> command = new ArrayList<>(List.of(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", unit.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
