package dev.hearth.gateway.security;

import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ProtocolException;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Admits a WebSocket upgrade (every endpoint of this gateway): the {@code Origin} must be allowed
 * (else 403), the client must present a valid key ({@code Authorization: Bearer}) or ticket
 * ({@code ?access_token=}) with the chat scope (else 401 / 403), and the key must have a connection
 * slot left (else 429). When the key cannot be checked now, 503: nobody is let in on a guess.
 * The admitted principal goes into the connection's user data, for {@link ConnectionSecurity}.
 */
@ApplicationScoped
public class ChatUpgradeCheck implements HttpUpgradeCheck {

    public static final String TICKET_PARAM = "access_token";
    private static final Logger LOG = Logger.getLogger(ChatUpgradeCheck.class);

    private final OriginPolicy origins;
    private final ApiKeyAuthenticator authenticator;
    private final WsTickets tickets;
    private final RateLimiter limiter;

    public ChatUpgradeCheck(OriginPolicy origins, ApiKeyAuthenticator authenticator, WsTickets tickets,
            RateLimiter limiter) {
        this.origins = origins;
        this.authenticator = authenticator;
        this.tickets = tickets;
        this.limiter = limiter;
    }

    private record Credentials(String apiKey, Principal principal) {
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (!origins.allows(origin, request.authority())) {
            return Uni.createFrom().failure(new UpgradeRefusedException(403, ErrorCode.FORBIDDEN.wire(),
                    "origin " + origin + " may not open this WebSocket", 0));
        }
        return credentials(request)
                .flatMap(credentials -> {
                    if (!credentials.principal().mayChat()) {
                        throw new PermissionException("this key lacks the chat scope");
                    }
                    return limiter.acquireConnection(credentials.principal())
                            .map(slot -> new ConnectionGrant(credentials.apiKey(), credentials.principal(), slot));
                })
                .map(grant -> {
                    context.userData().put(ConnectionSecurity.GRANT, grant);
                    return CheckResult.permitUpgradeSync();
                })
                .onFailure().transform(ChatUpgradeCheck::refusal);
    }

    private Uni<Credentials> credentials(HttpServerRequest request) {
        if (!authenticator.enabled()) {
            return Uni.createFrom().item(new Credentials(null, authenticator.localPrincipal()));
        }
        String key = ApiKeyAuthenticator.bearerKey(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (key != null) {
            return authenticator.authenticate(key).map(principal -> new Credentials(key, principal));
        }
        String ticket = request.getParam(TICKET_PARAM);
        if (ticket != null) {
            return tickets.redeem(ticket).flatMap(ticketKey -> authenticator.authenticate(ticketKey)
                    .map(principal -> new Credentials(ticketKey, principal)));
        }
        return Uni.createFrom().failure(new AuthenticationException(
                "credentials required: an 'Authorization: Bearer <API key>' header or '?" + TICKET_PARAM + "=<ticket>'"));
    }

    private static Throwable refusal(Throwable failure) {
        if (failure instanceof UpgradeRefusedException) {
            return failure;
        }
        if (failure instanceof AuthenticationException) {
            return new UpgradeRefusedException(401, ErrorCode.UNAUTHORIZED.wire(), failure.getMessage(), 0);
        }
        if (failure instanceof PermissionException) {
            return new UpgradeRefusedException(403, ErrorCode.FORBIDDEN.wire(), failure.getMessage(), 0);
        }
        if (failure instanceof LimitsUnavailableException unavailable) {
            return new UpgradeRefusedException(503, ErrorCode.INTERNAL.wire(), failure.getMessage(), unavailable.retryAfterMs());
        }
        if (failure instanceof ProtocolException limited && limited.code() == ErrorCode.RATE_LIMITED) {
            return new UpgradeRefusedException(429, ErrorCode.RATE_LIMITED.wire(), failure.getMessage(), limited.retryAfterMs());
        }
        if (failure instanceof AuthUnavailableException) {
            return new UpgradeRefusedException(503, ErrorCode.INTERNAL.wire(), failure.getMessage(), 1000);
        }
        LOG.errorf(failure, "checking a WebSocket upgrade failed");
        return new UpgradeRefusedException(500, ErrorCode.INTERNAL.wire(), "the upgrade could not be checked", 0);
    }
}
