package dev.hearth.launcher;

/** JDK logging (used by the infra library) on one line per message, like the launcher's own output. */
final class OneLineLogging {

    private OneLineLogging() {
    }

    static void install() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%6$s%n");
        }
    }
}
