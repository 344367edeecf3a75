package dev.hearth.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness reflects the router: with nothing listening where it should be, not ready. */
@QuarkusTest
@TestProfile(NotReadyWithoutRouterTest.RouterNowhere.class)
class NotReadyWithoutRouterTest {

    public static class RouterNowhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 on loopback: nothing listens there, connections are refused at once.
            return Map.of("hearth.router.host", "127.0.0.1", "hearth.router.port", "1");
        }
    }

    @Test
    void notReadyWhileTheRouterIsUnreachableButAlive() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'router-service' }.status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
