package dev.hearth.stt.engine;

/** An engine failed; {@code code} is stable ({@code engine_unavailable}, {@code engine_error}, {@code timeout}). */
public class SttEngineException extends RuntimeException {

    private final String code;

    public SttEngineException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SttEngineException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
