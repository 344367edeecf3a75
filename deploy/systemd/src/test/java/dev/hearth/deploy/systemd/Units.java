package dev.hearth.deploy.systemd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploy/systemd as a host gets it: units/ goes to /etc/systemd/system, env/ to /etc/hearth
 * (the *.example files without .example). Reads units and environment files the way systemd does,
 * as far as these files use it.
 */
public final class Units {

    public static final Path REPO = Path.of(System.getProperty("hearth.repo", "../..")).toAbsolutePath().normalize();
    public static final Path DIR = REPO.resolve("deploy/systemd");
    public static final Path UNITS = DIR.resolve("units");
    public static final Path ENV = DIR.resolve("env");
    public static final String JVM_TEMPLATE = "hearth@.service";
    public static final String NATIVE_TEMPLATE = "hearth-native@.service";
    public static final String TARGET = "hearth.target";
    /** Where the install puts the jars (/opt/hearth/<service>/ = <module>/target/quarkus-app/) and binaries. */
    public static final Path INSTALL = Path.of("/opt/hearth");
    public static final String ETC = "/etc/hearth/";

    private Units() {
    }

    /** The values of one key in one section, in order ("ExecStart", "EnvironmentFile"...). */
    public static List<String> values(Path unit, String section, String key) {
        List<String> values = new ArrayList<>();
        String current = null;
        for (String raw : lines(unit)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
            } else if (section.equals(current) && line.contains("=")) {
                String k = line.substring(0, line.indexOf('=')).strip();
                if (k.equals(key)) {
                    values.add(line.substring(line.indexOf('=') + 1).strip());
                }
            }
        }
        return values;
    }

    public static String single(Path unit, String section, String key) {
        List<String> values = values(unit, section, key);
        if (values.size() != 1) {
            throw new AssertionError(unit.getFileName() + ": " + key + " appears " + values.size() + " times");
        }
        return values.get(0);
    }

    /** systemd's EnvironmentFile: NAME=value lines, # and ; comments, optional surrounding quotes. */
    public static Map<String, String> readEnvironmentFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : lines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new AssertionError(file.getFileName() + ": not NAME=value: " + line);
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(line.substring(0, eq).strip(), value);
        }
        return env;
    }

    /**
     * The environment an instance of a template unit starts with: every EnvironmentFile in order
     * (a later one overrides), taken from env/ (secrets from their .example). A file marked
     * optional ("-") that the repository does not ship is skipped, as systemd skips a missing one.
     */
    public static Map<String, String> environment(Path unit, String instance) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : values(unit, "Service", "EnvironmentFile")) {
            boolean optional = entry.startsWith("-");
            String path = (optional ? entry.substring(1) : entry).replace("%i", instance);
            if (!path.startsWith(ETC)) {
                throw new AssertionError("an environment file outside " + ETC + ": " + path);
            }
            Path file = ENV.resolve(path.substring(ETC.length()));
            Path example = file.resolveSibling(file.getFileName() + ".example");
            if (Files.exists(file)) {
                env.putAll(readEnvironmentFile(file));
            } else if (Files.exists(example)) {
                env.putAll(readEnvironmentFile(example));
            } else if (!optional) {
                throw new AssertionError(unit.getFileName() + " needs " + path + ", which env/ does not have");
            }
        }
        return env;
    }

    /**
     * The command line ExecStart runs for an instance: %i replaced, and each unquoted word "$NAME"
     * split at whitespace into words, as systemd does (an empty variable gives no word).
     */
    public static List<String> command(Path unit, String instance, Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        for (String word : single(unit, "Service", "ExecStart").replace("%i", instance).split("\\s+")) {
            if (word.startsWith("$") && !word.startsWith("${")) {
                String value = env.getOrDefault(word.substring(1), "").strip();
                if (!value.isEmpty()) {
                    argv.addAll(Arrays.asList(value.split("\\s+")));
                }
            } else {
                argv.add(word);
            }
        }
        return argv;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
