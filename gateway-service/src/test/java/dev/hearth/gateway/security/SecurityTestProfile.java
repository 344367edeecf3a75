package dev.hearth.gateway.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * Security tests: an allowed foreign origin, short-lived tickets, and a Redis client name of this
 * run's own, so a test can find (and kill) exactly this application's Pub/Sub connections.
 */
public class SecurityTestProfile implements QuarkusTestProfile {

    public static final String ALLOWED_ORIGIN = "https://allowed.example";
    public static final String REDIS_CLIENT_NAME = "hearth-sectest-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "hearth.gateway.auth.allowed-origins", ALLOWED_ORIGIN,
                "hearth.gateway.auth.ticket-ttl", "5s",
                "quarkus.redis.client-name", REDIS_CLIENT_NAME,
                "quarkus.redis.configure-client-name", "true");
    }
}
