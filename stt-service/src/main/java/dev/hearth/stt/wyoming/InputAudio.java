package dev.hearth.stt.wyoming;

/**
 * The format a Wyoming client announced ({@code rate}, {@code width}, {@code channels}) and the
 * conversion of its payloads to mono signed 16-bit samples at that rate. Payloads may split a
 * sample frame anywhere: the bytes of an unfinished frame wait for the next payload. Widths follow
 * the Wyoming reference (Python's audioop): little-endian signed, 1 to 4 bytes.
 */
final class InputAudio {

    static final int MAX_RATE = 192_000;
    static final int MAX_CHANNELS = 8;

    private final int rate;
    private final int width;
    private final int channels;
    private final byte[] pending;
    private int pendingBytes;

    private InputAudio(int rate, int width, int channels) {
        this.rate = rate;
        this.width = width;
        this.channels = channels;
        this.pending = new byte[width * channels];
    }

    /** The format, or an {@link IllegalArgumentException} saying what is wrong with it. */
    static InputAudio of(Integer rate, Integer width, Integer channels) {
        if (rate == null || rate < 1000 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate must be between 1000 and " + MAX_RATE + " Hz, got " + rate);
        }
        if (width == null || width < 1 || width > 4) {
            throw new IllegalArgumentException("width must be 1 to 4 bytes per sample, got " + width);
        }
        if (channels == null || channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be 1 to " + MAX_CHANNELS + ", got " + channels);
        }
        return new InputAudio(rate, width, channels);
    }

    int rate() {
        return rate;
    }

    boolean sameFormat(Integer rate, Integer width, Integer channels) {
        return (rate == null || rate == this.rate) && (width == null || width == this.width)
                && (channels == null || channels == this.channels);
    }

    /** Mono 16-bit samples of every complete frame so far; channels are averaged. */
    short[] push(byte[] payload) {
        int frameBytes = width * channels;
        int total = pendingBytes + payload.length;
        short[] out = new short[total / frameBytes];
        int read = 0; // bytes of payload consumed
        for (int frame = 0; frame < out.length; frame++) {
            long sum = 0;
            for (int channel = 0; channel < channels; channel++) {
                int value = 0;
                for (int b = 0; b < width; b++) {
                    int position = frame * frameBytes + channel * width + b; // within pending ++ payload
                    int unsigned = position < pendingBytes ? pending[position] & 0xff
                            : payload[position - pendingBytes] & 0xff;
                    value |= unsigned << (8 * b);
                }
                int shift = 32 - 8 * width;
                value = (value << shift) >> shift; // sign-extend
                sum += width == 1 ? value << 8 : value >> (8 * (width - 2));
            }
            out[frame] = (short) (sum / channels);
            read = (frame + 1) * frameBytes - pendingBytes;
        }
        // keep the bytes of an unfinished frame
        int start = out.length == 0 ? 0 : Math.max(read, 0);
        if (out.length == 0) {
            System.arraycopy(payload, 0, pending, pendingBytes, payload.length);
            pendingBytes += payload.length;
        } else {
            pendingBytes = payload.length - start;
            System.arraycopy(payload, start, pending, 0, pendingBytes);
        }
        return out;
    }
}
