package dev.hearth.gateway.security;

import dev.hearth.gateway.config.SecurityConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.Closed;
import io.quarkus.websockets.next.Open;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The security of open WebSocket connections: whose each one is, closing it with 1008 when its key
 * expires or is revoked, and giving its connection slot back when it closes.
 *
 * <p>{@link #opened} and {@link #closed} run on websockets-next's {@code @Open} / {@code @Closed}
 * connection events; the endpoint may also call them from {@code @OnOpen} / {@code @OnClose} (both
 * are idempotent).
 */
@ApplicationScoped
public class ConnectionSecurity {

    private static final Logger LOG = Logger.getLogger(ConnectionSecurity.class);
    /** Policy violation: PROTOCOL.md's close code for auth expiry. */
    public static final short CLOSE_AUTH_EXPIRED = 1008;
    static final UserData.TypedKey<ConnectionGrant> GRANT = new UserData.TypedKey<>("dev.hearth.gateway.security.grant");

    private final OpenConnections connections;
    private final ApiKeyAuthenticator authenticator;
    private final SecurityConfig config;
    private final Vertx vertx;
    private long reverifyTimer = -1;

    public ConnectionSecurity(OpenConnections connections, ApiKeyAuthenticator authenticator, SecurityConfig config,
            Vertx vertx) {
        this.connections = connections;
        this.authenticator = authenticator;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            reverifyTimer = vertx.setPeriodic(config.reverifyInterval().toMillis(),
                    id -> reverify(grant -> true, false));
        }
    }

    @PreDestroy
    void stop() {
        if (reverifyTimer >= 0) {
            vertx.cancelTimer(reverifyTimer);
        }
    }

    /** The principal of a connection admitted by the upgrade check; never null. */
    public Principal principal(WebSocketConnection connection) {
        return grant(connection).principal();
    }

    /** The connection is open: keep its slot, close it when its key expires. Idempotent. */
    public void opened(WebSocketConnection connection) {
        ConnectionGrant grant = connection.userData().get(GRANT);
        if (grant != null && grant.open()) {
            scheduleExpiry(connection, grant);
        }
    }

    /** The connection closed: give its slot back, forget its expiry. Idempotent. */
    public void closed(WebSocketConnection connection) {
        ConnectionGrant grant = connection.userData().get(GRANT);
        if (grant != null) {
            long timer = grant.close();
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }

    void onOpen(@ObservesAsync @Open WebSocketConnection connection) {
        opened(connection);
    }

    void onClosed(@ObservesAsync @Closed WebSocketConnection connection) {
        closed(connection);
    }

    /** A key changed (revoked, …): ask again for every connection using it; missed events: for all. */
    void onConfigChange(@Observes ConfigChange change) {
        if (!config.enabled()) {
            return;
        }
        if (change.resyncs()) {
            reverify(grant -> true, true);
        } else if (ConfigChange.KIND_API_KEY.equals(change.kind())) {
            reverify(grant -> change.id().equals(grant.principal().keyId()), true);
        }
    }

    private static ConnectionGrant grant(WebSocketConnection connection) {
        ConnectionGrant grant = connection.userData().get(GRANT);
        if (grant == null) {
            throw new IllegalStateException("connection " + connection.id() + " was not admitted by the upgrade check");
        }
        return grant;
    }

    private void scheduleExpiry(WebSocketConnection connection, ConnectionGrant grant) {
        Principal principal = grant.principal();
        long timer = -1;
        if (principal.expires()) {
            long delay = Math.max(1, principal.expiresAtMs() - System.currentTimeMillis());
            timer = vertx.setTimer(delay, id -> close(connection, "API key expired"));
        }
        long previous = grant.expiryTimer(timer);
        if (previous >= 0) {
            vertx.cancelTimer(previous);
        }
        if (!grant.isOpen() && timer >= 0) {
            vertx.cancelTimer(timer); // closed meanwhile
        }
    }

    /**
     * Verifies the key of every open connection matching {@code which} (once per distinct key):
     * refused keys close their connections with 1008; valid ones refresh the principal (limits,
     * expiry). When the key cannot be checked now the connections stay; the next round decides.
     */
    private void reverify(Predicate<ConnectionGrant> which, boolean fresh) {
        Map<String, List<WebSocketConnection>> byKey = connections.stream()
                .filter(c -> {
                    ConnectionGrant grant = c.userData().get(GRANT);
                    return grant != null && grant.apiKey != null && which.test(grant);
                })
                .collect(Collectors.groupingBy(c -> c.userData().get(GRANT).apiKey));
        byKey.forEach((key, open) -> (fresh ? authenticator.reauthenticate(key) : authenticator.authenticate(key))
                .subscribe().with(principal -> open.forEach(connection -> {
                    ConnectionGrant grant = connection.userData().get(GRANT);
                    grant.principal(principal);
                    if (grant.isOpen()) {
                        scheduleExpiry(connection, grant);
                    }
                }), failure -> {
                    if (failure instanceof AuthenticationException refused) {
                        open.forEach(connection -> close(connection, refused.getMessage()));
                    } else {
                        LOG.warnf("cannot re-verify the key of %d connections now: %s", open.size(), failure.getMessage());
                    }
                }));
    }

    private void close(WebSocketConnection connection, String why) {
        LOG.infof("closing connection %s of key %s: %s", connection.id(), principal(connection).keyId(), why);
        // A close reason must fit a control frame (123 bytes).
        String reason = why.length() > 120 ? why.substring(0, 120) : why;
        connection.close(new CloseReason(CLOSE_AUTH_EXPIRED, reason)).subscribe().with(ok -> { },
                failure -> LOG.debugf("closing %s: %s", connection.id(), failure.getMessage()));
    }
}
