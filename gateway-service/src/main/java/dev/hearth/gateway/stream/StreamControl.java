package dev.hearth.gateway.stream;

/**
 * Messages between gateway replicas about the streams they run, on the control channel:
 * {@code cancel:<stream id>}. Stream ids cannot contain a newline, so the format is unambiguous.
 */
final class StreamControl {

    private static final String CANCEL = "cancel:";

    private StreamControl() {
    }

    static String cancel(String streamId) {
        return CANCEL + streamId;
    }

    /** The stream to cancel, or null when the message is something else. */
    static String cancelled(String message) {
        return message.startsWith(CANCEL) ? message.substring(CANCEL.length()) : null;
    }
}
