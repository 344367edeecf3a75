package dev.hearth.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The summary table: metric, value, aim, met. */
final class Report {

    private record Row(String metric, String value, String aim, String met) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(String metric, String value) {
        rows.add(new Row(metric, value, "—", ""));
    }

    /** A row with an aim of "at most {@code aim}" (lower is better). */
    void atMost(String metric, double value, double aim, String unit, String detail) {
        String met = Double.isNaN(value) ? "n/a" : value <= aim ? "yes" : "NO";
        rows.add(new Row(metric, fmt(value) + " " + unit + (detail == null ? "" : "  " + detail),
                "≤ " + fmt(aim) + " " + unit, met));
    }

    /** A row with an aim of "at least {@code aim}". */
    void atLeast(String metric, long value, long aim, String unit, String detail) {
        rows.add(new Row(metric, value + " " + unit + (detail == null ? "" : "  " + detail),
                "≥ " + aim + " " + unit, value >= aim ? "yes" : "NO"));
    }

    void notMeasured(String metric, String aim, String why) {
        rows.add(new Row(metric, "not measured (" + why + ")", aim, "n/a"));
    }

    void print(PrintStream out) {
        int w0 = "metric".length();
        int w1 = "value".length();
        int w2 = "aim".length();
        for (Row r : rows) {
            w0 = Math.max(w0, r.metric.length());
            w1 = Math.max(w1, r.value.length());
            w2 = Math.max(w2, r.aim.length());
        }
        String format = "| %-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %-4s |%n";
        out.printf(format, "metric", "value", "aim", "met?");
        out.printf("|%s|%s|%s|%s|%n", "-".repeat(w0 + 2), "-".repeat(w1 + 2), "-".repeat(w2 + 2), "-".repeat(6));
        for (Row r : rows) {
            out.printf(format, r.metric, r.value, r.aim, r.met);
        }
    }

    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
    }
}
