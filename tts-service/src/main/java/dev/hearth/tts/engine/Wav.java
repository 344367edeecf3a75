package dev.hearth.tts.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads a RIFF/WAVE file of 16-bit PCM into mono {@link Pcm}; tolerates the unknown sizes of streamed WAVs. */
public final class Wav {

    private Wav() {
    }

    public static boolean looksLikeWav(byte[] bytes) {
        return bytes.length >= 12 && "RIFF".equals(ascii(bytes, 0)) && "WAVE".equals(ascii(bytes, 8));
    }

    public static Pcm read(byte[] wav) {
        if (wav.length < 12 || !"RIFF".equals(ascii(wav, 0)) || !"WAVE".equals(ascii(wav, 8))) {
            throw new IllegalArgumentException("not a WAV file (" + wav.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= wav.length) {
            String id = ascii(wav, pos);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if ("fmt ".equals(id)) {
                int format = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2) & 0xffff;
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14) & 0xffff;
                if ((format != 1 && format != 0xfffe) || bits != 16) {
                    throw new IllegalArgumentException("unsupported WAV: format " + format + ", " + bits + " bits");
                }
            } else if ("data".equals(id)) {
                if (rate == 0) {
                    throw new IllegalArgumentException("WAV data before its fmt chunk");
                }
                // Streamed WAVs (espeak-ng --stdout, flite to a pipe) carry 0 or 0x7fff…: take what is there.
                int available = wav.length - body;
                int length = size == 0 || size > available ? available : (int) size;
                length -= length % (2 * channels);
                byte[] pcm = new byte[length];
                System.arraycopy(wav, body, pcm, 0, length);
                return new Pcm(channels == 1 ? pcm : Audio.downmix(pcm, channels), rate);
            }
            pos = body + (int) Math.min(size + (size & 1), wav.length);
        }
        throw new IllegalArgumentException("WAV without a data chunk");
    }

    /** A mono 16-bit WAV of the given PCM. */
    public static byte[] write(Pcm pcm) {
        ByteBuffer buf = ByteBuffer.allocate(44 + pcm.data().length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes()).putInt(36 + pcm.data().length).put("WAVE".getBytes());
        buf.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(pcm.sampleRate()).putInt(pcm.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
        buf.put("data".getBytes()).putInt(pcm.data().length).put(pcm.data());
        return buf.array();
    }

    private static String ascii(byte[] b, int at) {
        return new String(b, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
