package dev.hearth.stt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttInput;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SpeechToTextContractTest {

    @GrpcClient("self")
    MutinySpeechToTextGrpc.MutinySpeechToTextStub stt;

    @Test
    void servesTheContractAndSaysClearlyThatNoEngineIsThereYet() {
        Throwable failure = stt.transcribe(Multi.createFrom().item(SttInput.newBuilder()
                        .setConfig(SttConfig.newBuilder().setSampleRate(16000)).build()))
                .collect().asList().onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(10));
        Status status = Status.fromThrowable(failure);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.getDescription()).contains("speech-to-text");
    }

    @Test
    void answersHealthAndMetrics() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
