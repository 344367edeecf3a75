package dev.hearth.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;

/**
 * {@code hearth}: runs the whole suite on this host in the foreground. Builds what is missing,
 * finds or starts PostgreSQL/Redis/MQTT, starts the seven services, waits until they are ready,
 * and stops everything on Ctrl-C / SIGTERM.
 */
public final class Launcher {

    private static final int LOG_TAIL_LINES = 40;

    private Launcher() {
    }

    public static void main(String[] args) {
        OneLineLogging.install();
        PrintStream out = System.out;
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(Usage.TEXT);
            return;
        }
        if (args.length > 0) {
            System.err.println("Unknown arguments: " + String.join(" ", args) + System.lineSeparator() + Usage.TEXT);
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        try {
            Path repo = RepoLocator.locate(env);
            buildMissing(repo, out);
            SuiteConfig config = SuiteConfig.fromLauncherEnv(repo, env, out);
            run(config);
        } catch (SuiteStartException e) {
            System.err.printf("%nHearth did not start: %s%n--- last lines of its log ---%n%s%n---%n",
                    e.getMessage(), e.logTail());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("Hearth did not start: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void buildMissing(Path repo, PrintStream out) throws Exception {
        List<ServiceId> missing = new ServiceJars(repo).missing();
        if (missing.isEmpty()) {
            return;
        }
        out.println("Not built yet: " + missing.stream().map(ServiceId::module).collect(Collectors.joining(", "))
                + " - building (./mvnw package, a few minutes the first time)...");
        new MavenBuild(repo).packageServices(missing);
    }

    private static void run(SuiteConfig config) {
        PrintStream out = config.out();
        Suite suite = Suite.create(config);
        // Registered before anything starts, so Ctrl-C during startup also stops what was started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping Hearth...");
            suite.close();
            out.println("Stopped.");
        }, "hearth-stop"));
        try {
            suite.start();
        } catch (CancellationException e) {
            return; // a signal arrived during startup; the shutdown hook stops everything
        }
        // The OpenAI-compatible HTTP endpoints are not built yet: do not advertise them.
        out.printf("%nHearth is ready.%n  WebSocket: %s%n  Health:    %s/q/health/ready%n"
                        + "  Admin API: %s%n  API key:   %s  (%s)%n"
                        + "  Wyoming:   %s  (Home Assistant: add the Wyoming Protocol integration with each)%n"
                        + "  Logs:      %s%nCtrl-C stops everything.%n",
                suite.gatewayWebSocketUrl(), suite.gatewayHttpUrl(), suite.adminApiUrl(), suite.apiKey(),
                suite.bootstrapApiKey().origin(), suite.wyomingAddresses(hostName()), config.logDir());

        // Foreground until a service dies on its own (then stop all: a partial suite is useless)
        // or a signal runs the shutdown hook (then this wakes up too, and the hook does the rest).
        ServiceProcess exited = suite.firstExit().join();
        if (suite.isClosing()) {
            return;
        }
        System.err.printf("%n%s exited unexpectedly (code %d). Last lines of %s:%n%s%n", exited.service().shortName(),
                exited.process().exitValue(), exited.log(), LogTail.of(exited.log(), LOG_TAIL_LINES));
        suite.close();
        System.exit(1);
    }

    /** This host's name as the LAN knows it (Home Assistant runs elsewhere); localhost when unknown. */
    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
