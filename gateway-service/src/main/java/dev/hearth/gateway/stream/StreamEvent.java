package dev.hearth.gateway.stream;

import java.util.Base64;

/**
 * One event of a stream, encoded once and sent as is to every subscriber (and to Redis). An
 * {@code audio} chunk also has its binary {@code frame} ({@link AudioFrame}), sent right after the
 * JSON; {@code frameKept} says whether the frame is kept in the stream's history for resume (a
 * stream keeps a bounded number of audio bytes; past that its audio goes to live watchers only).
 */
public record StreamEvent(long seq, String json, boolean terminal, byte[] frame, boolean frameKept) {

    public StreamEvent(long seq, String json, boolean terminal) {
        this(seq, json, terminal, null, false);
    }

    /** This event as the history keeps it: without its frame when the frame is not kept. */
    public StreamEvent forHistory() {
        return frame == null || frameKept ? this : new StreamEvent(seq, json, terminal, null, false);
    }

    /**
     * The Pub/Sub form: {@code <seq>:<t|c>:<json>}, so readers need not parse the JSON to order it;
     * an event with a frame is {@code <seq>:a:<json>\n<base64 frame>} (compact JSON has no raw newline).
     */
    public String wire() {
        if (frame != null) {
            return seq + ":a:" + json + '\n' + Base64.getEncoder().encodeToString(frame);
        }
        return seq + (terminal ? ":t:" : ":c:") + json;
    }

    /** Parses {@link #wire()}; null when the text is not an event. */
    public static StreamEvent fromWire(String wire) {
        int first = wire.indexOf(':');
        if (first <= 0 || wire.length() < first + 3 || wire.charAt(first + 2) != ':') {
            return null;
        }
        try {
            long seq = Long.parseLong(wire, 0, first, 10);
            char kind = wire.charAt(first + 1);
            if (kind == 'a') {
                int newline = wire.lastIndexOf('\n');
                if (newline < first + 3) {
                    return null;
                }
                byte[] frame = Base64.getDecoder().decode(wire.substring(newline + 1));
                return new StreamEvent(seq, wire.substring(first + 3, newline), false, frame, true);
            }
            return new StreamEvent(seq, wire.substring(first + 3), kind == 't');
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
    }
}
