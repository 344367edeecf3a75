package dev.hearth.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of one service: the same java that runs the launcher, the JVM options, the jar.
 * Where {@code setsid} exists (Linux) each service gets its own session, so a Ctrl-C in the
 * launcher's terminal reaches only the launcher, which then stops the services in order.
 */
final class JavaCommand {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String SETSID = findSetsid();

    private JavaCommand() {
    }

    static List<String> forJar(Path jar, List<String> javaOpts) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            // Not a process-group leader here, so setsid execs in place: the pid stays the JVM's.
            command.add(SETSID);
        }
        command.add(JAVA.toString());
        command.addAll(javaOpts);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    static boolean detachesSessions() {
        return SETSID != null;
    }

    private static String findSetsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
