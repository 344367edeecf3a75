package dev.hearth.tts.engine;

import io.grpc.Status;

/** An engine could not synthesize; {@link #status()} is what a gRPC caller sees. */
public class EngineException extends RuntimeException {

    private final Status.Code code;

    public EngineException(String message) {
        this(message, Status.Code.INTERNAL, null);
    }

    public EngineException(String message, Throwable cause) {
        this(message, Status.Code.INTERNAL, cause);
    }

    public EngineException(String message, Status.Code code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Status status() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
