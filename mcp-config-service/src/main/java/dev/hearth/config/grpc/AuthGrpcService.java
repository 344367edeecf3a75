package dev.hearth.config.grpc;

import dev.hearth.config.ApiKey;
import dev.hearth.config.service.ApiKeyService;
import dev.hearth.config.service.InvalidApiKeyException;
import dev.hearth.proto.v1.ApiKeyLimits;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import dev.hearth.proto.v1.MutinyAuthServiceGrpc;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/** Tells the gateway whose an API key is; UNAUTHENTICATED (saying why) when it is not valid. */
@GrpcService
public class AuthGrpcService extends MutinyAuthServiceGrpc.AuthServiceImplBase {

    private static final Logger LOG = Logger.getLogger(AuthGrpcService.class);

    private final ApiKeyService keys;

    public AuthGrpcService(ApiKeyService keys) {
        this.keys = keys;
    }

    /**
     * UNAUTHENTICATED is final ("this key is not valid"); any other failure (the database is
     * unreachable, say) is UNAVAILABLE, which a caller may retry: a key must never look invalid
     * because it could not be checked.
     */
    @Override
    public Uni<ApiKeyPrincipal> verifyApiKey(VerifyApiKeyRequest request) {
        return keys.verify(request.getKey())
                .map(AuthGrpcService::principal)
                .onFailure().transform(e -> {
                    if (e instanceof InvalidApiKeyException) {
                        return Status.UNAUTHENTICATED.withDescription(e.getMessage()).asRuntimeException();
                    }
                    LOG.warnf(e, "an API key could not be verified");
                    return Status.UNAVAILABLE.withDescription("API keys cannot be checked right now").withCause(e)
                            .asRuntimeException();
                });
    }

    static ApiKeyPrincipal principal(ApiKey key) {
        return ApiKeyPrincipal.newBuilder()
                .setKeyId(key.id())
                .setUserId(key.userId())
                .addAllScopes(key.scopes())
                .setLimits(ApiKeyLimits.newBuilder()
                        .setMessagesPerMinute(key.limits().messagesPerMinute())
                        .setMaxConcurrentStreams(key.limits().maxConcurrentStreams())
                        .setMaxConnections(key.limits().maxConnections()))
                .setExpiresAtMs(key.expiresAt() == null ? 0 : key.expiresAt().toEpochMilli())
                .setName(key.name())
                .build();
    }
}
