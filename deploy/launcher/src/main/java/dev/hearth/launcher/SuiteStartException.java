package dev.hearth.launcher;

/** A service did not get ready: which one, why, and the end of its log. */
public final class SuiteStartException extends RuntimeException {

    private final ServiceId service;
    private final String logTail;

    public SuiteStartException(ServiceId service, String reason, String logTail) {
        super(service.shortName() + " " + reason);
        this.service = service;
        this.logTail = logTail;
    }

    public ServiceId service() {
        return service;
    }

    public String logTail() {
        return logTail;
    }
}
