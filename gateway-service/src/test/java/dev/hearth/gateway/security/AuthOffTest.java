package dev.hearth.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import dev.hearth.gateway.FakeRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@code hearth.gateway.auth.enabled=false} every client is the principal {@code local}. */
@QuarkusTest
@TestProfile(AuthOffTest.AuthOff.class)
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class AuthOffTest {

    public static class AuthOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.gateway.auth.enabled", "false");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @Inject
    OpenConnections connections;

    @Inject
    ConnectionSecurity security;

    @BeforeEach
    void startFakes() {
        FakeRouter.ensureStarted(routerPort);
    }

    @Test
    void aWebSocketWithoutCredentialsIsTheLocalPrincipalWithEveryScope() throws Exception {
        try (WsProbe probe = WsProbe.to(base.getPort()).connect()) {
            assertThat(probe.opened()).isTrue();
            Principal principal = await().atMost(Duration.ofSeconds(10)).until(
                    () -> connections.stream().map(security::principal).findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(principal.keyId()).isEqualTo("local");
            assertThat(principal.userId()).isEqualTo("local");
            assertThat(principal.admin()).isTrue();
            assertThat(principal.mayChat()).isTrue();
        }
        // Origins are still checked: a page elsewhere cannot use the LAN gateway through a visitor.
        assertThat(WsProbe.to(base.getPort()).origin("https://evil.example").connect().refusedStatus).isEqualTo(403);
    }

    @Test
    void httpNeedsNoKey() {
        given().get("/v1/models").then().statusCode(200).body("data.id", hasItem("default"));
        given().post("/v1/ws-tickets").then().statusCode(200);
        String id = given().contentType("application/json")
                .body("{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().path("id");
        assertThat(FakeRouter.REQUESTS.stream().filter(r -> r.getRequestId().equals(id)).findFirst().orElseThrow().getUserId())
                .isEqualTo("local");
    }
}
