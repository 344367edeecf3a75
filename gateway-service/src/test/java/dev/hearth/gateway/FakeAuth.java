package dev.hearth.gateway;

import dev.hearth.proto.v1.ApiKeyLimits;
import dev.hearth.proto.v1.ApiKeyPrincipal;
import dev.hearth.proto.v1.ConfigServiceGrpc;
import dev.hearth.proto.v1.ListProfilesRequest;
import dev.hearth.proto.v1.ListProfilesResponse;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.VerifyApiKeyRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mcp-config-service side of {@link FakeRouter}'s server beyond its fixed keys: keys a test
 * creates (any scopes, limits, expiry) and revokes, an outage switch, a call counter, and
 * {@code ConfigService.ListProfiles}. Keys are random per test, so test classes sharing the JVM
 * (and this static state) do not meet.
 */
public final class FakeAuth {

    /** Keys created by tests: secret → principal. */
    private static final Map<String, ApiKeyPrincipal> KEYS = new ConcurrentHashMap<>();
    public static final AtomicInteger VERIFY_CALLS = new AtomicInteger();
    /** While true, AuthService and ConfigService answer UNAVAILABLE. */
    public static final AtomicBoolean DOWN = new AtomicBoolean();
    public static final List<String> PROFILES = new CopyOnWriteArrayList<>(List.of("default", "demo"));
    /** What {@code ConfigService.GetConfigVersion} answers. */
    public static final java.util.concurrent.atomic.AtomicLong CONFIG_VERSION = new java.util.concurrent.atomic.AtomicLong(1);

    private FakeAuth() {
    }

    /** A new key with the chat scope and the gateway's default limits, never expiring. */
    public static Key newKey() {
        return newKey(Set.of("chat"), 0, 0, 0, 0);
    }

    /**
     * A new key of a new user.
     *
     * @param expiresAtMs 0: never
     */
    public static Key newKey(Set<String> scopes, int messagesPerMinute, int maxStreams, int maxConnections, long expiresAtMs) {
        String id = "k_" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "hk_" + UUID.randomUUID().toString().replace("-", "");
        KEYS.put(secret, ApiKeyPrincipal.newBuilder()
                .setKeyId(id).setUserId("u_" + id).setName("test key " + id).addAllScopes(scopes)
                .setLimits(ApiKeyLimits.newBuilder().setMessagesPerMinute(messagesPerMinute)
                        .setMaxConcurrentStreams(maxStreams).setMaxConnections(maxConnections))
                .setExpiresAtMs(expiresAtMs)
                .build());
        return new Key(id, secret);
    }

    public record Key(String id, String secret) {
        /** The key is no longer valid (the fake forgets it; publishing the event is the test's job). */
        public void revoke() {
            KEYS.remove(secret);
        }

        /** The key's principal now carries {@code name} (as an admin rename would leave it). */
        public void rename(String name) {
            KEYS.computeIfPresent(secret, (s, principal) -> principal.toBuilder().setName(name).build());
        }

        public String bearer() {
            return "Bearer " + secret;
        }
    }

    /** Answers a verification of a test-created key, or of any key while DOWN; false: not one of these. */
    static boolean answer(VerifyApiKeyRequest request, StreamObserver<ApiKeyPrincipal> observer) {
        VERIFY_CALLS.incrementAndGet();
        if (DOWN.get()) {
            observer.onError(Status.UNAVAILABLE.withDescription("config service is down").asRuntimeException());
            return true;
        }
        ApiKeyPrincipal principal = KEYS.get(request.getKey());
        if (principal == null) {
            return false; // FakeRouter's fixed keys, or unknown
        }
        observer.onNext(principal);
        observer.onCompleted();
        return true;
    }

    static ConfigServiceGrpc.ConfigServiceImplBase configService() {
        return new ConfigServiceGrpc.ConfigServiceImplBase() {
            @Override
            public void listProfiles(ListProfilesRequest request, StreamObserver<ListProfilesResponse> observer) {
                if (DOWN.get()) {
                    observer.onError(Status.UNAVAILABLE.withDescription("config service is down").asRuntimeException());
                    return;
                }
                ListProfilesResponse.Builder response = ListProfilesResponse.newBuilder().setVersion(1);
                for (String name : PROFILES) {
                    response.addProfiles(Profile.newBuilder().setName(name).setIsDefault(name.equals("default")));
                }
                observer.onNext(response.build());
                observer.onCompleted();
            }

            @Override
            public void getConfigVersion(dev.hearth.proto.v1.GetConfigVersionRequest request,
                    StreamObserver<dev.hearth.proto.v1.ConfigVersion> observer) {
                if (DOWN.get()) {
                    observer.onError(Status.UNAVAILABLE.withDescription("config service is down").asRuntimeException());
                    return;
                }
                observer.onNext(dev.hearth.proto.v1.ConfigVersion.newBuilder().setVersion(CONFIG_VERSION.get()).build());
                observer.onCompleted();
            }
        };
    }
}
