package dev.hearth.tts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.tts.service.SpeechSynthesizer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class HealthAndMetricsTest {

    @Inject
    SpeechSynthesizer synthesizer;

    @Test
    void answersHealthAndPublishesSynthesisTimeRealTimeFactorAndCacheCounters() {
        synthesizer.speak(synthesizer.plan("freetts", "", "", 0), "Metrics please " + System.nanoTime() + ".")
                .await().atMost(Duration.ofSeconds(60));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hearth_tts_synthesis_seconds_count{engine=\"freetts\""))
                .body(containsString("hearth_tts_real_time_factor_count{engine=\"freetts\""))
                .body(containsString("hearth_tts_cache_total{result=\"miss\""));
    }
}
