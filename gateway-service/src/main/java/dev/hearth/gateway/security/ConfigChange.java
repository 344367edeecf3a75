package dev.hearth.gateway.security;

/**
 * A configuration change announced by mcp-config-service on {@code <prefix>config-changes}, fired
 * here as a CDI event. {@link #RESYNC} stands for "changes may have been missed" (the Pub/Sub
 * subscription was (re)established): observers drop what they cached.
 */
public record ConfigChange(long version, String kind, String id) {

    public static final String KIND_API_KEY = "api_key";
    public static final String KIND_PROFILE = "profile";
    public static final String RESYNC = "*";

    public static ConfigChange resync() {
        return new ConfigChange(-1, RESYNC, "");
    }

    public boolean resyncs() {
        return RESYNC.equals(kind);
    }

    /** Whether observers caching {@code kindOfInterest} must drop something. */
    public boolean concerns(String kindOfInterest) {
        return resyncs() || kindOfInterest.equals(kind);
    }
}
