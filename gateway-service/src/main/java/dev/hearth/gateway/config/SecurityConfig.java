package dev.hearth.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Who may connect: API keys, WebSocket tickets, allowed origins. */
@ConfigMapping(prefix = "hearth.gateway.auth")
public interface SecurityConfig {

    /**
     * false: no API keys; every client is the principal {@code local} with every scope and the
     * default limits. Only for a trusted network.
     */
    @WithDefault("true")
    boolean enabled();

    /** Deadline of one {@code VerifyApiKey} call to mcp-config-service. */
    @WithDefault("2s")
    Duration verifyTimeout();

    /**
     * How long a verified key is trusted without asking again (also set as the {@code api-keys}
     * cache's expire-after-write in application.properties). Revocations arrive sooner by event.
     */
    @WithDefault("60s")
    Duration cacheTtl();

    /** Life of a WebSocket ticket from {@code POST /v1/ws-tickets}. */
    @WithDefault("60s")
    Duration ticketTtl();

    /**
     * Origins a browser may open {@code /ws/chat} from, e.g. {@code https://home.example}; {@code *}
     * allows every origin. Requests without an Origin header (non-browser clients) and from the
     * gateway's own host are always allowed.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * Open connections re-verify their key this often, in case a revocation event was lost
     * (Redis Pub/Sub is at-most-once).
     */
    @WithDefault("5m")
    Duration reverifyInterval();
}
