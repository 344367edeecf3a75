package dev.hearth.gateway.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The server → client binary frame that follows an {@code audio} chunk event (README, "Voice"):
 * byte 0 the layout version (1), byte 1 the length n of the stream id in UTF-8 bytes, then the
 * stream id, then the event's {@code seq} as 4 bytes big-endian unsigned, then the audio bytes.
 */
public final class AudioFrame {

    public static final int VERSION = 1;

    private AudioFrame() {
    }

    public static byte[] encode(String streamId, long seq, byte[] audio) {
        byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("stream id over 255 bytes");
        }
        if (seq < 0 || seq > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("seq " + seq + " does not fit 4 bytes");
        }
        ByteBuffer frame = ByteBuffer.allocate(2 + id.length + 4 + audio.length);
        frame.put((byte) VERSION).put((byte) id.length).put(id).putInt((int) seq).put(audio);
        return frame.array();
    }

    /** Size of the header before the audio bytes. */
    public static int headerLength(String streamId) {
        return 2 + streamId.getBytes(StandardCharsets.UTF_8).length + 4;
    }
}
