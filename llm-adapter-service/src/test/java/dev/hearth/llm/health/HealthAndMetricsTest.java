package dev.hearth.llm.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import dev.hearth.llm.testsupport.FakeOpenAiUpstreamResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Health and metrics answer on the service's one port, with no provider reachable or probed. */
@QuarkusTest
// Not used here; declared so this class shares the Quarkus app the gRPC tests start.
@WithTestResource(value = FakeOpenAiUpstreamResource.class, scope = TestResourceScope.GLOBAL)
class HealthAndMetricsTest {

    @Test
    void isLive() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void isReadyWithoutAnyProvider() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'llm-adapter' }.data.dialects", is("anthropic,demo,openai"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hearth_llm_streams_active"));
    }
}
