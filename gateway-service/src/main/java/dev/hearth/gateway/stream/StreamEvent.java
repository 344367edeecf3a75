package dev.hearth.gateway.stream;

/** One event of a stream, encoded once and sent as is to every subscriber (and to Redis). */
public record StreamEvent(long seq, String json, boolean terminal) {

    /** The Pub/Sub form: {@code <seq>:<t|c>:<json>}, so readers need not parse the JSON to order it. */
    public String wire() {
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
            return new StreamEvent(seq, wire.substring(first + 3), wire.charAt(first + 1) == 't');
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
