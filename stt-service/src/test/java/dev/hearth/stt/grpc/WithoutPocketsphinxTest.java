package dev.hearth.stt.grpc;

import static dev.hearth.stt.grpc.SttCalls.finals;
import static dev.hearth.stt.grpc.SttCalls.utterance;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.stt.Speech;
import dev.hearth.stt.fake.FakeConfigService;
import dev.hearth.stt.fake.FakeRemoteEngines.FakeAnsweringEngine;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A host without libpocketsphinx (simulated by a library name that does not exist) and without the
 * Silero model's use (energy VAD): the service starts, readiness says why, {@code auto} takes the
 * remote engine, a call that asks for pocketsphinx gets engine_unavailable with the install hint.
 */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
@TestProfile(WithoutPocketsphinxTest.Missing.class)
class WithoutPocketsphinxTest {

    public static class Missing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.stt.pocketsphinx.library", "hearth-no-such-pocketsphinx", "hearth.stt.vad.engine", "energy");
        }
    }

    @GrpcClient("self")
    MutinySpeechToTextGrpc.MutinySpeechToTextStub stt;

    @Test
    void theServiceRunsOnTheOtherEnginesAndSaysWhatIsMissing() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'stt-engines' }.data.pocketsphinx",
                        containsString("sudo apt-get install libpocketsphinx3 pocketsphinx-en-us"))
                .body("checks.find { it.name == 'stt-engines' }.data.vad", equalTo("energy"));
        SttCalls calls = new SttCalls(stt);
        byte[] audio = Speech.bytes(Speech.concat(Speech.noise(300, 20, 1), Speech.noise(1500, 3000, 2), Speech.noise(800, 20, 3)));

        Status status = calls.failure(utterance(SttConfig.newBuilder().setVad(true).setEngine("pocketsphinx"), audio));
        assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("engine_unavailable: pocketsphinx")
                .contains("sudo apt-get install libpocketsphinx3 pocketsphinx-en-us");

        // auto: the first available remote engine by name ("fake-remote" before "fake-unreachable").
        assertThat(finals(calls.run(utterance(SttConfig.newBuilder().setVad(true), audio))))
                .extracting(t -> t.getEngine()).containsExactly(FakeAnsweringEngine.NAME);
    }
}
