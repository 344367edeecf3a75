package dev.hearth.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A checked {@code voice.start} payload: obviously bad values are refused here with
 * {@code invalid_message} naming the field, before a stream or a router call is started.
 */
public record VoiceStartRequest(int sampleRate, String format, String language, String conversationId, String profile,
        String streamId, boolean shared, boolean continuous, String sttEngine, String ttsEngine, String ttsVoice,
        int outputSampleRate) {

    public static final int DEFAULT_SAMPLE_RATE = 16000;
    public static final int MIN_SAMPLE_RATE = 8000;
    public static final int MAX_SAMPLE_RATE = 48000;
    public static final String PCM_S16LE = "pcm_s16le";
    static final int MAX_NAME = 128;

    public static VoiceStartRequest from(ClientMessage message) {
        int sampleRate = rate(message, "sample_rate", DEFAULT_SAMPLE_RATE, false);
        String format = message.optionalString("format");
        if (format != null && !format.equals(PCM_S16LE)) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "payload.format must be \"" + PCM_S16LE + "\" (16-bit signed little-endian mono PCM)");
        }
        return new VoiceStartRequest(sampleRate, PCM_S16LE,
                name(message, "language"),
                message.optionalString("conversation_id"),
                message.optionalString("profile"),
                message.optionalString("stream_id"),
                message.optionalBoolean("share"),
                message.optionalBoolean("continuous"),
                name(message, "stt_engine"),
                name(message, "tts_engine"),
                name(message, "tts_voice"),
                rate(message, "output_sample_rate", 0, true));
    }

    /** Bytes per second of the announced audio (16-bit mono). */
    public int bytesPerSecond() {
        return sampleRate * 2;
    }

    private static int rate(ClientMessage message, String field, int fallback, boolean zeroAllowed) {
        JsonNode value = message.payload().get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()
                || !((value.intValue() >= MIN_SAMPLE_RATE && value.intValue() <= MAX_SAMPLE_RATE)
                        || (zeroAllowed && value.intValue() == 0))) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " must be an integer from "
                    + MIN_SAMPLE_RATE + " to " + MAX_SAMPLE_RATE + (zeroAllowed ? " (or 0: the engine's own rate)" : "")
                    + " (samples per second)");
        }
        return value.intValue();
    }

    private static String name(ClientMessage message, String field) {
        String value = message.optionalString(field);
        if (value != null && value.length() > MAX_NAME) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "payload." + field + " is longer than " + MAX_NAME + " characters");
        }
        return value;
    }
}
