package dev.hearth.audio;

/**
 * Band-limited resampling of 16-bit mono PCM by windowed-sinc interpolation (Hann window, 16 zero
 * crossings each side). When downsampling the cutoff drops to the new Nyquist so nothing aliases.
 * {@link #resample} converts a whole buffer; {@link Stream} converts chunk by chunk with the same
 * result, keeping only the taps the next output needs.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 16;

    private final double ratio;
    private final double cutoff;
    private final double halfWidth;

    private Resampler(int from, int to) {
        this.ratio = (double) to / from;
        this.cutoff = Math.min(1.0, ratio) * 0.97; // a little below Nyquist for the window's transition band
        this.halfWidth = ZERO_CROSSINGS / cutoff;
    }

    public static short[] resample(short[] in, int from, int to) {
        if (from == to || in.length == 0) {
            return in;
        }
        Resampler r = new Resampler(from, to);
        int outLength = (int) Math.round(in.length * r.ratio);
        short[] out = new short[outLength];
        for (int n = 0; n < outLength; n++) {
            out[n] = r.sample(in, 0, in.length, n / r.ratio);
        }
        return out;
    }

    /** The output sample at input position {@code t}; {@code in[i]} holds input sample {@code offset + i}, {@code total} exist. */
    private short sample(short[] in, long offset, long total, double t) {
        long first = Math.max((long) Math.ceil(t - halfWidth), 0);
        long last = Math.min((long) Math.floor(t + halfWidth), total - 1);
        double sum = 0;
        double weights = 0;
        for (long k = first; k <= last; k++) {
            double x = t - k;
            double w = cutoff * sinc(cutoff * x) * (0.5 + 0.5 * Math.cos(Math.PI * x / halfWidth));
            sum += w * in[(int) (k - offset)];
            weights += w;
        }
        // Normalizing by the weights keeps DC gain at 1 near the edges, where taps are missing.
        double v = weights == 0 ? 0 : sum / weights;
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Chunk-by-chunk resampling with bounded memory: about two window widths of input are kept. */
    public static final class Stream {

        private final int from;
        private final int to;
        private final Resampler kernel;
        private short[] buffer = new short[0];
        private long bufferStart; // input index of buffer[0]
        private long received; // input samples so far
        private long produced; // output samples so far

        public Stream(int from, int to) {
            this.from = from;
            this.to = to;
            this.kernel = from == to ? null : new Resampler(from, to);
        }

        /** Output samples that the input so far fully determines. */
        public short[] push(short[] in) {
            if (kernel == null) {
                return in;
            }
            int kept = (int) (received - bufferStart);
            short[] joined = new short[kept + in.length];
            System.arraycopy(buffer, 0, joined, 0, kept);
            System.arraycopy(in, 0, joined, kept, in.length);
            buffer = joined;
            received += in.length;
            return drain(false);
        }

        /** The remaining output at the end of the input (the same total as {@link Resampler#resample}). */
        public short[] finish() {
            return kernel == null ? new short[0] : drain(true);
        }

        private short[] drain(boolean end) {
            long target = end ? Math.round(received * kernel.ratio) : Long.MAX_VALUE;
            short[] out = new short[16];
            int n = 0;
            while (produced < target) {
                double t = produced / kernel.ratio;
                if (!end && (long) Math.floor(t + kernel.halfWidth) >= received) {
                    break;
                }
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = kernel.sample(buffer, bufferStart, received, t);
                produced++;
            }
            long keepFrom = Math.max(bufferStart, Math.min(received,
                    (long) Math.ceil(produced / kernel.ratio - kernel.halfWidth)));
            if (keepFrom > bufferStart) {
                buffer = java.util.Arrays.copyOfRange(buffer, (int) (keepFrom - bufferStart), (int) (received - bufferStart));
                bufferStart = keepFrom;
            }
            return java.util.Arrays.copyOf(out, n);
        }

        public int from() {
            return from;
        }

        public int to() {
            return to;
        }
    }
}
