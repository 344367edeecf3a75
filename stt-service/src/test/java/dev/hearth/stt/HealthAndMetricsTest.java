package dev.hearth.stt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.hearth.stt.fake.FakeConfigService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Liveness, readiness with each engine's state, the voice detector and the grammar, and the hearth_stt_* metrics. */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
class HealthAndMetricsTest {

    @Test
    void readinessShowsTheEnginesTheDetectorAndTheGrammar() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/usr/share/pocketsphinx/model/en-us")),
                "pocketsphinx is not installed: sudo apt-get install libpocketsphinx3 pocketsphinx-en-us");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'stt-engines' }.data.pocketsphinx", equalTo("up"))
                        .body("checks.find { it.name == 'stt-engines' }.data.vad", equalTo("silero"))
                        .body("checks.find { it.name == 'stt-engines' }.data.grammar", startsWith("v")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("hearth_stt_buffered_samples"))
                .body(containsString("hearth_stt_call_buffer_peak_samples"));
    }
}
