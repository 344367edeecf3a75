package dev.hearth.stt;

import dev.hearth.audio.Resampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Test audio: speech synthesized by the real flite binary, silence, white noise at a given SNR. */
public final class Speech {

    public static final int RATE = 16_000;

    private Speech() {
    }

    public static boolean fliteInstalled() {
        try {
            Process p = new ProcessBuilder("flite", "-lv").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code text} spoken by flite's {@code voice}, as 16 kHz mono samples. */
    public static short[] say(String voice, String text) {
        try {
            Path wav = Files.createTempFile("stt-test", ".wav");
            try {
                Process p = new ProcessBuilder("flite", "-voice", voice, "-t", text, "-o", wav.toString())
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("flite failed for voice " + voice);
                }
                return wav(Files.readAllBytes(wav));
            } finally {
                Files.deleteIfExists(wav);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The samples of a 16-bit mono WAV, resampled to 16 kHz. */
    static short[] wav(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rate = b.getInt(24);
        int at = 12;
        while (at + 8 <= bytes.length) {
            int id = b.getInt(at);
            int size = b.getInt(at + 4);
            if (id == 0x61746164) { // "data"
                short[] s = new short[Math.min(size, bytes.length - at - 8) / 2];
                ByteBuffer.wrap(bytes, at + 8, s.length * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
                return Resampler.resample(s, rate, RATE);
            }
            at += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk in the WAV");
    }

    public static short[] silence(int ms) {
        return new short[ms * RATE / 1000];
    }

    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** White Gaussian noise added at {@code snrDb} relative to the signal's power (over its non-silent part). */
    public static short[] withNoise(short[] signal, double snrDb, long seed) {
        double power = 0;
        int voiced = 0;
        for (short s : signal) {
            if (Math.abs(s) > 100) {
                power += (double) s * s;
                voiced++;
            }
        }
        power /= Math.max(1, voiced);
        double sigma = Math.sqrt(power / Math.pow(10, snrDb / 10));
        Random random = new Random(seed);
        short[] out = new short[signal.length];
        for (int i = 0; i < signal.length; i++) {
            double v = signal[i] + random.nextGaussian() * sigma;
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return out;
    }

    public static short[] noise(int ms, double rms, long seed) {
        Random random = new Random(seed);
        short[] out = new short[ms * RATE / 1000];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(random.nextGaussian() * rms)));
        }
        return out;
    }

    public static byte[] bytes(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        return b.array();
    }

    /** Word error rate of a hypothesis against a reference: (substitutions + deletions + insertions) / reference words. */
    public static int wordErrors(String reference, String hypothesis) {
        String[] r = reference.isBlank() ? new String[0] : reference.trim().split("\\s+");
        String[] h = hypothesis.isBlank() ? new String[0] : hypothesis.trim().split("\\s+");
        int[][] d = new int[r.length + 1][h.length + 1];
        for (int i = 0; i <= r.length; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= h.length; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= r.length; i++) {
            for (int j = 1; j <= h.length; j++) {
                int sub = d[i - 1][j - 1] + (r[i - 1].equals(h[j - 1]) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        return d[r.length][h.length];
    }
}
