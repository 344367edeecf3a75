package dev.hearth.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeAuth;
import dev.hearth.gateway.FakeRouter;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may open {@code /ws/chat}, over real WebSockets, a real Redis and the fake AuthService. */
@QuarkusTest
@TestProfile(SecurityTestProfile.class)
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class WsUpgradeSecurityTest {

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @ConfigProperty(name = "hearth.redis.prefix")
    String prefix;

    @ConfigProperty(name = "quarkus.redis.client-name")
    String redisClientName;

    @Inject
    RedisDataSource redis;

    @Inject
    OpenConnections connections;

    @Inject
    ConnectionSecurity security;

    @BeforeEach
    void startFakes() {
        FakeRouter.ensureStarted(routerPort);
        FakeAuth.DOWN.set(false);
    }

    private WsProbe.Builder ws() {
        return WsProbe.to(base.getPort());
    }

    private String ticketFor(FakeAuth.Key key) {
        return given().header("Authorization", key.bearer()).post("/v1/ws-tickets")
                .then().statusCode(200).extract().path("ticket");
    }

    private void publishKeyChange(String keyId) {
        redis.pubsub(String.class).publish(prefix + "config-changes",
                new JsonObject().put("version", 7).put("kind", "api_key").put("id", keyId).encode());
    }

    /** The server's side of the (one) connection of this key; it is registered just after the handshake. */
    private WebSocketConnection serverSideOf(FakeAuth.Key key) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> connections.stream().filter(c -> security.principal(c).keyId().equals(key.id())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    @Test
    void withoutCredentialsTheUpgradeIsRefusedWith401() throws Exception {
        WsProbe probe = ws().connect();
        assertThat(probe.opened()).isFalse();
        assertThat(probe.refusedStatus).isEqualTo(401);
        assertThat(probe.refusalCode()).isEqualTo("unauthorized");
        assertThat(probe.refusal.getJsonObject("error").getString("message")).contains("Authorization");
    }

    @Test
    void anUnknownKeyIsRefusedWith401() throws Exception {
        WsProbe probe = ws().bearer("hk_nobody_knows_this").connect();
        assertThat(probe.refusedStatus).isEqualTo(401);
        assertThat(probe.refusalCode()).isEqualTo("unauthorized");
    }

    @Test
    void aValidKeyOpensAndTheConnectionKnowsItsPrincipal() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        try (WsProbe probe = ws().bearer(key.secret()).connect()) {
            assertThat(probe.opened()).isTrue();
            Principal principal = security.principal(serverSideOf(key));
            assertThat(principal.userId()).isEqualTo("u_" + key.id());
            assertThat(principal.scopes()).containsExactly("chat");
            assertThat(principal.limits()).isEqualTo(new Principal.Limits(120, 16, 32)); // the defaults
        }
    }

    @Test
    void aKeyWithoutTheChatScopeIsRefusedWith403() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey(Set.of("devices"), 0, 0, 0, 0);
        WsProbe probe = ws().bearer(key.secret()).connect();
        assertThat(probe.refusedStatus).isEqualTo(403);
        assertThat(probe.refusalCode()).isEqualTo("forbidden");
    }

    @Test
    void aTicketOpensOnceAndOnlyOnce() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        String ticket = ticketFor(key);
        assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
        try (WsProbe first = ws().ticket(ticket).connect()) {
            assertThat(first.opened()).isTrue();
            assertThat(security.principal(serverSideOf(key)).keyId()).isEqualTo(key.id());
            WsProbe second = ws().ticket(ticket).connect();
            assertThat(second.refusedStatus).isEqualTo(401);
            assertThat(second.refusalCode()).isEqualTo("unauthorized");
        }
    }

    @Test
    void redisHoldsNoUsableSecretForATicket() {
        FakeAuth.Key key = FakeAuth.newKey();
        String ticket = ticketFor(key);
        String stored = redis.value(String.class).get(prefix + "ticket:" + ApiKeyAuthenticator.sha256(ticket));
        assertThat(stored).isNotBlank().doesNotContain(key.secret()).doesNotContain(ticket);
    }

    @Test
    void anExpiredTicketIsRefusedWith401() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        String ticket = ticketFor(key);
        String stored = prefix + "ticket:" + ApiKeyAuthenticator.sha256(ticket);
        assertThat(redis.key().exists(stored)).isTrue();
        // The profile's ticket TTL is 5 s; Redis expires it.
        await().atMost(Duration.ofSeconds(10)).until(() -> !redis.key().exists(stored));
        WsProbe probe = ws().ticket(ticket).connect();
        assertThat(probe.refusedStatus).isEqualTo(401);
    }

    @Test
    void aMalformedTicketIsRefusedWith401() throws Exception {
        assertThat(ws().ticket("not-a-ticket").connect().refusedStatus).isEqualTo(401);
    }

    @Test
    void aTicketOfAKeyRevokedSinceIsRefused() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        String ticket = ticketFor(key);
        key.revoke();
        publishKeyChange(key.id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("Authorization", key.bearer()).post("/v1/ws-tickets").then().statusCode(401));
        // The ticket itself is still unused and unexpired: the key behind it is what is refused.
        assertThat(redis.key().exists(prefix + "ticket:" + ApiKeyAuthenticator.sha256(ticket))).isTrue();
        WsProbe probe = ws().ticket(ticket).connect();
        assertThat(probe.refusedStatus).isEqualTo(401);
        assertThat(probe.refusal.getJsonObject("error").getString("message")).contains("unknown API key");
    }

    @Test
    void aForeignOriginIsRefusedWith403() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        WsProbe probe = ws().bearer(key.secret()).origin("https://evil.example").connect();
        assertThat(probe.refusedStatus).isEqualTo(403);
        assertThat(probe.refusalCode()).isEqualTo("forbidden");
        assertThat(ws().origin("null").bearer(key.secret()).connect().refusedStatus).isEqualTo(403);
    }

    @Test
    void theConfiguredAndTheGatewaysOwnOriginsMayConnect() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        try (WsProbe allowed = ws().bearer(key.secret()).origin(SecurityTestProfile.ALLOWED_ORIGIN).connect();
                WsProbe sameHost = ws().bearer(key.secret()).origin("http://localhost:" + base.getPort()).connect()) {
            assertThat(allowed.opened()).isTrue();
            assertThat(sameHost.opened()).isTrue();
        }
        assertThat(ws().bearer(key.secret()).origin("http://localhost:1").connect().refusedStatus).isEqualTo(403);
    }

    @Test
    void connectionsOverTheKeysLimitAreRefusedWith429UntilOneCloses() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey(Set.of("chat"), 0, 0, 2, 0);
        try (WsProbe one = ws().bearer(key.secret()).connect(); WsProbe two = ws().bearer(key.secret()).connect()) {
            assertThat(one.opened()).isTrue();
            assertThat(two.opened()).isTrue();
            WsProbe three = ws().bearer(key.secret()).connect();
            assertThat(three.refusedStatus).isEqualTo(429);
            assertThat(three.refusalCode()).isEqualTo("rate_limited");
            assertThat(redis.sortedSet(String.class).zcard(prefix + "limits:connections:" + key.id())).isEqualTo(2);

            one.close();
            // The closed connection's slot comes back.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (WsProbe again = ws().bearer(key.secret()).connect()) {
                    assertThat(again.opened()).isTrue();
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                redis.sortedSet(String.class).zcard(prefix + "limits:connections:" + key.id()) == 0);
    }

    @Test
    void revokingAKeyClosesItsConnectionsWith1008AndNoOthers() throws Exception {
        FakeAuth.Key revoked = FakeAuth.newKey();
        FakeAuth.Key other = FakeAuth.newKey();
        try (WsProbe doomed = ws().bearer(revoked.secret()).connect(); WsProbe bystander = ws().bearer(other.secret()).connect()) {
            assertThat(doomed.opened()).isTrue();
            revoked.revoke();
            publishKeyChange(revoked.id());
            assertThat(doomed.awaitClose()).isEqualTo((short) 1008);
            assertThat(bystander.socket.isClosed()).isFalse();
            // and the revoked key no longer opens anything
            assertThat(ws().bearer(revoked.secret()).connect().refusedStatus).isEqualTo(401);
        }
    }

    @Test
    void aKeyThatExpiresClosesItsConnectionWith1008AtExpiry() throws Exception {
        long expiresAt = System.currentTimeMillis() + 2_000;
        FakeAuth.Key key = FakeAuth.newKey(Set.of("chat"), 0, 0, 0, expiresAt);
        try (WsProbe probe = ws().bearer(key.secret()).connect()) {
            assertThat(probe.opened()).isTrue();
            assertThat(probe.awaitClose()).isEqualTo((short) 1008);
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(expiresAt);
        }
        // expired in the cache too: no new connection
        assertThat(ws().bearer(key.secret()).connect().refusedStatus).isEqualTo(401);
    }

    @Test
    void whenKeysCannotBeVerifiedNobodyGetsInAnd503SaysWhy() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        FakeAuth.DOWN.set(true);
        try {
            WsProbe probe = ws().bearer(key.secret()).connect();
            assertThat(probe.opened()).isFalse();
            assertThat(probe.refusedStatus).isEqualTo(503);
            given().header("Authorization", key.bearer()).get("/v1/models").then().statusCode(503);
        } finally {
            FakeAuth.DOWN.set(false);
        }
        try (WsProbe probe = ws().bearer(key.secret()).connect()) {
            assertThat(probe.opened()).isTrue();
        }
    }

    @Test
    void verifiedKeysAreCachedUntilAChangeEventDropsThem() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        given().header("Authorization", key.bearer()).post("/v1/ws-tickets").then().statusCode(200);
        int calls = FakeAuth.VERIFY_CALLS.get();
        given().header("Authorization", key.bearer()).post("/v1/ws-tickets").then().statusCode(200);
        assertThat(FakeAuth.VERIFY_CALLS.get()).as("served from the cache").isEqualTo(calls);
        key.revoke();
        publishKeyChange(key.id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("Authorization", key.bearer()).post("/v1/ws-tickets").then().statusCode(401)
                        .body("error.code", org.hamcrest.Matchers.equalTo("invalid_api_key")));
    }

    @Test
    void afterLosingItsPubSubConnectionTheGatewayResubscribesAndResyncs() throws Exception {
        FakeAuth.Key key = FakeAuth.newKey();
        try (WsProbe probe = ws().bearer(key.secret()).connect()) {
            assertThat(probe.opened()).isTrue();
            // Revoked while the event cannot arrive: the resync after reconnecting must find it.
            key.revoke();
            int killed = killOurPubSubConnections();
            assertThat(killed).isPositive();
            assertThat(probe.awaitClose()).isEqualTo((short) 1008);
        }
        // subscribed again: events arrive again
        FakeAuth.Key next = FakeAuth.newKey();
        try (WsProbe probe = ws().bearer(next.secret()).connect()) {
            next.revoke();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                publishKeyChange(next.id());
                assertThat(probe.closeStatus).isDone();
            });
            assertThat(probe.awaitClose()).isEqualTo((short) 1008);
        }
    }

    /** Kills this application's Redis Pub/Sub connections (found by its client name). */
    private int killOurPubSubConnections() {
        String list = redis.execute("CLIENT", "LIST", "TYPE", "pubsub").toString();
        int killed = 0;
        for (String line : list.split("\n")) {
            if (line.contains(" name=" + redisClientName + " ")) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                redis.execute("CLIENT", "KILL", "ID", id);
                killed++;
            }
        }
        return killed;
    }
}
