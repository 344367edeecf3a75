package dev.hearth.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness reflects mcp-config and the adapter: unreachable, the router is alive but not ready. */
@QuarkusTest
@TestProfile(NotReadyWithoutDownstreamTest.DownstreamNowhere.class)
class NotReadyWithoutDownstreamTest {

    public static class DownstreamNowhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 on loopback: nothing listens there, connections are refused at once.
            return Map.of("hearth.config.host", "127.0.0.1", "hearth.config.port", "1",
                    "hearth.llm-adapter.host", "127.0.0.1", "hearth.llm-adapter.port", "1");
        }
    }

    @Test
    void notReadyWhileDownstreamIsUnreachableButAlive() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'downstream gRPC services' }.data.'mcp-config-service'",
                        startsWith("unreachable"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
