package dev.hearth.config.repository;

/**
 * A config write the current state does not allow; thrown inside the writing transaction, so it
 * also rolls back whatever the transaction did before. The message says what to do instead.
 */
public class ConfigWriteRefusedException extends RuntimeException {

    public enum Reason {
        /** The named provider or profile does not exist. */
        NOT_FOUND,
        /** Creating a provider or profile whose name is taken. */
        ALREADY_EXISTS,
        /** Deleting a provider that profiles' chains still name. */
        IN_USE,
        /** A profile's chain names a provider that does not exist. */
        UNKNOWN_PROVIDER,
        /** The write would leave no default profile. */
        DEFAULT_REQUIRED
    }

    private final Reason reason;

    public ConfigWriteRefusedException(Reason reason, String message) {
        // No stack trace: this is an answer to the request, not a failure of ours.
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
