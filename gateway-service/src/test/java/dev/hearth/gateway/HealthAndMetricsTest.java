package dev.hearth.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class HealthAndMetricsTest {

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @org.junit.jupiter.api.BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    @Test
    void readyWhenTheRouterAnswersItsHealthCheck() {
        // The channel may still be in reconnect backoff from before the fake listened.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'router-service' }.status", equalTo("UP"));
    }

    @Test
    void servesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"))
                .body(containsString("hearth_gateway_streams_active"));
    }
}
