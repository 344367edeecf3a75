package dev.hearth.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * A voice for the end-to-end tests: the real flite speaks a sentence (16 kHz mono s16le with the
 * {@code slt} voice), as a user would say it to a microphone; silence pads it.
 */
final class Speech {

    static final int RATE = 16_000;

    private Speech() {
    }

    /** Whether this machine has flite and pocketsphinx's English model (the local speech engines). */
    static boolean localEnginesInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/flite"))
                && Files.isDirectory(Path.of("/usr/share/pocketsphinx/model/en-us"));
    }

    /** {@code text} spoken by flite's {@code slt} voice: 16 kHz mono signed 16-bit little-endian. */
    static byte[] say(String text) throws IOException, InterruptedException {
        Path wav = Files.createTempFile("hearth-e2e-say", ".wav");
        try {
            Process flite = new ProcessBuilder("flite", "-voice", "slt", "-t", text, "-o", wav.toString())
                    .redirectErrorStream(true).start();
            if (!flite.waitFor(30, TimeUnit.SECONDS) || flite.exitValue() != 0) {
                flite.destroyForcibly();
                throw new IOException("flite failed: " + new String(flite.getInputStream().readAllBytes()));
            }
            try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
                AudioFormat format = in.getFormat();
                if (format.getSampleRate() != RATE || format.getChannels() != 1 || format.getSampleSizeInBits() != 16
                        || format.isBigEndian()) {
                    throw new IOException("flite's slt voice gave " + format + ", not 16 kHz mono s16le");
                }
                return in.readAllBytes();
            } catch (UnsupportedAudioFileException e) {
                throw new IOException(e);
            }
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    static byte[] silence(int millis) {
        return new byte[RATE * 2 * millis / 1000];
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Byte offset just after the last sample louder than -30 dBFS: where the speech in {@code pcm} ends. */
    static int speechEnd(byte[] pcm) {
        for (int i = pcm.length - 2; i >= 0; i -= 2) {
            int sample = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8));
            if (Math.abs(sample) > 1036) {
                return i + 2;
            }
        }
        return 0;
    }

    static int millis(byte[] pcm) {
        return pcm.length * 1000 / (RATE * 2);
    }
}
