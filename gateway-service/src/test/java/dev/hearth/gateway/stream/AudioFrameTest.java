package dev.hearth.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The binary audio frame's layout, and audio events on the replicas' Pub/Sub wire. */
class AudioFrameTest {

    @Test
    void theHeaderIsVersionIdLengthIdAndBigEndianUnsignedSeq() {
        byte[] audio = {1, 2, 3};
        byte[] frame = AudioFrame.encode("s-é", 0xFFFF_FFFEL, audio);
        byte[] id = "s-é".getBytes(StandardCharsets.UTF_8);
        assertThat(frame[0]).isEqualTo((byte) 1);
        assertThat(frame[1] & 0xFF).isEqualTo(id.length).isEqualTo(4); // bytes, not characters
        assertThat(new String(frame, 2, id.length, StandardCharsets.UTF_8)).isEqualTo("s-é");
        assertThat(frame).containsSubsequence(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 1, 2, 3});
        assertThat(frame).hasSize(AudioFrame.headerLength("s-é") + audio.length);
        assertThatThrownBy(() -> AudioFrame.encode("x".repeat(256), 1, audio)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioFrame.encode("s", 1L << 32, audio)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAudioEventCrossesThePubSubWireWithItsFrame() {
        byte[] frame = AudioFrame.encode("s-1", 7, new byte[] {0, -1, 10, 13, 58});
        String json = "{\"seq\":7,\"chunk\":{\"type\":\"audio\",\"data\":{\"text\":\"a:b\\nc\"}}}";
        StreamEvent event = new StreamEvent(7, json, false, frame, false);
        StreamEvent back = StreamEvent.fromWire(event.wire());
        assertThat(back.seq()).isEqualTo(7);
        assertThat(back.json()).isEqualTo(json);
        assertThat(back.terminal()).isFalse();
        assertThat(back.frame()).isEqualTo(frame);
        // Not kept in history (over the stream's audio cap): the history copy has no frame.
        assertThat(event.forHistory().frame()).isNull();
        assertThat(new StreamEvent(7, json, false, frame, true).forHistory().frame()).isEqualTo(frame);
        // Events without audio keep their old form, and junk is not an event.
        assertThat(new StreamEvent(3, "{}", true).wire()).isEqualTo("3:t:{}");
        assertThat(StreamEvent.fromWire("3:a:{}")).isNull();
        assertThat(StreamEvent.fromWire("3:a:{}\n%%%")).isNull();
    }
}
