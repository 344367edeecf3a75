package dev.hearth.tts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.proto.v1.MutinyTextToSpeechGrpc;
import dev.hearth.proto.v1.TtsConfig;
import dev.hearth.proto.v1.TtsInput;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TextToSpeechContractTest {

    @GrpcClient("self")
    MutinyTextToSpeechGrpc.MutinyTextToSpeechStub tts;

    @Test
    void servesTheContractAndSaysClearlyThatNoEngineIsThereYet() {
        Throwable failure = tts.synthesize(Multi.createFrom().items(
                        TtsInput.newBuilder().setConfig(TtsConfig.newBuilder().setVoice("slt")).build(),
                        TtsInput.newBuilder().setText("Hello.").build()))
                .collect().asList().onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(10));
        Status status = Status.fromThrowable(failure);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.getDescription()).contains("text-to-speech");
    }

    @Test
    void answersHealthAndMetrics() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
