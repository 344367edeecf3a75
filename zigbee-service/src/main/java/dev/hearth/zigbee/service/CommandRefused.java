package dev.hearth.zigbee.service;

/**
 * Why a command was not sent: {@link Reason} maps one to one onto a gRPC status and a tool error code,
 * so SetState and CallTool say the same thing.
 */
public final class CommandRefused extends RuntimeException {

    public enum Reason {
        /** No device by that name or IEEE address. */
        NOT_FOUND("not_found"),
        /** The broker or the bridge is down: nothing would reach the device. */
        UNAVAILABLE("unavailable"),
        /** A risky device and no confirmation from the user. */
        CONFIRMATION_REQUIRED("confirmation_required"),
        /** The bridge refused a request (a rename to a taken name...). */
        BRIDGE_REFUSED("bridge_refused"),
        /** The bridge did not answer a request in time. */
        BRIDGE_TIMEOUT("bridge_timeout");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public CommandRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
