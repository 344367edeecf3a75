package dev.hearth.gateway.security;

import dev.hearth.gateway.config.SecurityConfig;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import dev.hearth.proto.v1.MutinyAuthServiceGrpc.MutinyAuthServiceStub;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The one remote call behind authentication: mcp-config-service's {@code VerifyApiKey}. Each call
 * has its own deadline (a client-wide one would be computed once, at injection) and is retried,
 * with jitter, only while the service is UNAVAILABLE; an answer such as UNAUTHENTICATED is final.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private final MutinyAuthServiceStub auth;
    private final SecurityConfig config;

    public ApiKeyVerifier(@GrpcClient("config") MutinyAuthServiceStub auth, SecurityConfig config) {
        this.auth = auth;
        this.config = config;
    }

    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = Unavailable.class)
    public Uni<ApiKeyPrincipal> verify(String key) {
        return auth.withDeadlineAfter(config.verifyTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey(key).build());
    }

    /** Retry only what another attempt can fix: the service (or the way to it) being down. */
    public static final class Unavailable implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
        }
    }
}
