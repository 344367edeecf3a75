package dev.hearth.zigbee.expose;

/** A requested state the device cannot take; {@link #code()} is the stable code a tool result carries. */
public final class InvalidStateException extends RuntimeException {

    public static final String INVALID_ARGUMENTS = "invalid_arguments";
    public static final String READ_ONLY = "read_only";

    private final String code;

    public InvalidStateException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
