package dev.hearth.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
class HealthTest {

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
    }

    @Test
    void readyWhenConfigAndAdapterAnswer() {
        // The channels may still be in reconnect backoff from before the fakes listened.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'downstream gRPC services' }.data.'mcp-config-service'", equalTo("SERVING"))
                .body("checks.find { it.name == 'downstream gRPC services' }.data.'llm-adapter-service'", equalTo("SERVING"));
    }

    @Test
    void servesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_threads_live_threads"));
    }
}
