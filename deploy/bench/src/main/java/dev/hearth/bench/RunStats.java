package dev.hearth.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The numbers of one round of streams: time to first token (raw, and less the upstream's think
 * time), inter-token gaps, per-token delivery delay (arrival at the client − departure from the
 * fake), and whether every stream was clean (all tokens, in order, terminal {@code stop}, no gap
 * over the limit). Histograms hold nanoseconds, 3 significant digits.
 */
final class RunStats {

    private static final long MAX = TimeUnit.SECONDS.toNanos(600);

    final int streams;
    final Histogram ttft = histogram();
    final Histogram ttftOverhead = histogram();
    final Histogram requestPath = histogram();
    final Histogram firstTokenPath = histogram();
    final Histogram gap = histogram();
    final Histogram delay = histogram();
    int clean;
    int incomplete;
    int gapsOverLimit;
    int streamsWithGapOverLimit;
    long maxGapNanos;
    String firstFailure;
    final long gapLimitNanos;

    RunStats(List<StreamRecord> records, long gapLimitNanos) {
        this.streams = records.size();
        this.gapLimitNanos = gapLimitNanos;
        for (StreamRecord r : records) {
            if (!r.ended || r.failure != null || r.received != r.tokens) {
                incomplete++;
                if (firstFailure == null) {
                    firstFailure = r.id + ": " + (r.failure != null ? r.failure
                            : !r.ended ? "no terminal event (" + r.received + " of " + r.tokens + " tokens)" : "incomplete");
                }
            }
            record(ttft, r.ttftNanos());
            record(ttftOverhead, r.ttftOverheadNanos());
            record(requestPath, r.requestPathNanos());
            if (r.received > 0) {
                record(firstTokenPath, r.receivedNanos[0] - r.sentNanos[0]);
            }
            boolean overLimit = false;
            for (int i = 0; i < r.received; i++) {
                record(delay, r.receivedNanos[i] - r.sentNanos[i]);
                if (i > 0) {
                    long g = r.receivedNanos[i] - r.receivedNanos[i - 1];
                    record(gap, g);
                    maxGapNanos = Math.max(maxGapNanos, g);
                    if (g > gapLimitNanos) {
                        gapsOverLimit++;
                        overLimit = true;
                    }
                }
            }
            if (overLimit) {
                streamsWithGapOverLimit++;
            }
            if (r.clean() && !overLimit) {
                clean++;
            }
        }
    }

    boolean allClean() {
        return clean == streams;
    }

    /** Why not all were clean, in one line. */
    String why() {
        if (allClean()) {
            return "clean";
        }
        StringBuilder b = new StringBuilder();
        if (incomplete > 0) {
            b.append(incomplete).append(" streams incomplete/out of order (").append(firstFailure).append(')');
        }
        if (streamsWithGapOverLimit > 0) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(streamsWithGapOverLimit).append(" streams with a gap over ")
                    .append(TimeUnit.NANOSECONDS.toMillis(gapLimitNanos)).append(" ms (")
                    .append(gapsOverLimit).append(" gaps, max ").append(ms(maxGapNanos)).append(" ms)");
        }
        return b.toString();
    }

    static Histogram histogram() {
        return new Histogram(MAX, 3);
    }

    static void record(Histogram h, long nanos) {
        if (nanos >= 0) {
            h.recordValue(Math.min(nanos, MAX));
        }
    }

    static double p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
