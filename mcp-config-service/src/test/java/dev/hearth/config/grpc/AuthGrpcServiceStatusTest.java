package dev.hearth.config.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.config.ApiKey;
import dev.hearth.config.service.ApiKeyService;
import dev.hearth.config.service.InvalidApiKeyException;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which gRPC status a failed verification becomes: only an invalid key is UNAUTHENTICATED. */
class AuthGrpcServiceStatusTest {

    private static Status statusWhenVerifyFailsWith(Supplier<Throwable> failure) {
        ApiKeyService failing = new ApiKeyService(null, null, null) {
            @Override
            public Uni<ApiKey> verify(String presented) {
                return Uni.createFrom().failure(failure);
            }
        };
        Throwable thrown = new AuthGrpcService(failing).verifyApiKey(VerifyApiKeyRequest.newBuilder().setKey("hk_x").build())
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(5));
        return Status.fromThrowable(thrown);
    }

    @Test
    void anInvalidKeyIsUnauthenticatedWithTheReason() {
        Status status = statusWhenVerifyFailsWith(() -> new InvalidApiKeyException("unknown API key"));
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).isEqualTo("unknown API key");
    }

    @Test
    void aKeyThatCouldNotBeCheckedIsUnavailableNeverUnauthenticated() {
        Status status = statusWhenVerifyFailsWith(() -> new java.net.ConnectException("Connection refused: localhost/5432"));
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).doesNotContain("5432");
    }
}
