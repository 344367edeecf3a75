package dev.hearth.wyoming;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One Wyoming event: a JSON header line {@code {"type", "data"?, "data_length"?, "payload_length"?}},
 * then {@code data_length} bytes of JSON merged into {@code data}, then {@code payload_length} bytes.
 */
public record WyomingEvent(String type, JsonObject data, byte[] payload) {

    /** Protocol version written in headers, as the Python reference does. */
    public static final String VERSION = "1.5.4";

    public static WyomingEvent of(String type, JsonObject data) {
        return new WyomingEvent(type, data, null);
    }

    public static WyomingEvent of(String type) {
        return new WyomingEvent(type, new JsonObject(), null);
    }

    public static WyomingEvent error(String code, String text) {
        return of("error", new JsonObject().put("text", text).put("code", code));
    }

    /**
     * An {@code info} answer (what {@code describe} gets) listing the given ASR and TTS programs and
     * no other kind of service, in the shape Home Assistant's Wyoming integration reads.
     */
    public static WyomingEvent info(JsonArray asr, JsonArray tts) {
        return of("info", new JsonObject().put("asr", asr).put("tts", tts)
                .put("handle", new JsonArray()).put("intent", new JsonArray()).put("wake", new JsonArray())
                .put("mic", new JsonArray()).put("snd", new JsonArray()));
    }

    /** The attribution both services give for themselves. */
    public static JsonObject hearthAttribution() {
        return new JsonObject().put("name", "Hearth").put("url", "https://github.com/hearth");
    }

    /** The frame as written on the wire: data always goes as a separate data section. */
    public Buffer encode() {
        JsonObject header = new JsonObject().put("type", type).put("version", VERSION);
        byte[] dataBytes = null;
        if (data != null && !data.isEmpty()) {
            dataBytes = data.encode().getBytes(StandardCharsets.UTF_8);
            header.put("data_length", dataBytes.length);
        }
        if (payload != null && payload.length > 0) {
            header.put("payload_length", payload.length);
        }
        Buffer out = Buffer.buffer(header.encode()).appendByte((byte) '\n');
        if (dataBytes != null) {
            out.appendBytes(dataBytes);
        }
        if (payload != null) {
            out.appendBytes(payload);
        }
        return out;
    }
}
