package dev.hearth.tts.engine;

/** Small conversions between sample layouts (16-bit little-endian unless named otherwise). */
public final class Audio {

    private Audio() {
    }

    public static short[] samples(byte[] pcm) {
        short[] out = new short[pcm.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
        }
        return out;
    }

    public static byte[] bytes(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    static byte[] downmix(byte[] pcm, int channels) {
        short[] in = samples(pcm);
        short[] out = new short[in.length / channels];
        for (int i = 0; i < out.length; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += in[i * channels + c];
            }
            out[i] = (short) (sum / channels);
        }
        return bytes(out);
    }

    static byte[] swapBytes(byte[] pcm, int length) {
        byte[] out = new byte[length - length % 2];
        for (int i = 0; i + 1 < length; i += 2) {
            out[i] = pcm[i + 1];
            out[i + 1] = pcm[i];
        }
        return out;
    }

    /** Root mean square of the samples, 0..32768. */
    public static double rms(byte[] pcm) {
        short[] s = samples(pcm);
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
    }
}
