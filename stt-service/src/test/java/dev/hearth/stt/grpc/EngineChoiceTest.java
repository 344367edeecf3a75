package dev.hearth.stt.grpc;

import static dev.hearth.stt.grpc.SttCalls.finals;
import static dev.hearth.stt.grpc.SttCalls.utterance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.MutinySpeechToTextGrpc;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.Transcript;
import dev.hearth.stt.Speech;
import dev.hearth.stt.engine.PocketsphinxEngine;
import dev.hearth.stt.fake.FakeConfigService;
import dev.hearth.stt.fake.FakeRemoteEngines.FakeAnsweringEngine;
import dev.hearth.stt.fake.FakeRemoteEngines.FakeDownEngine;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A call's engine choice, and an engine failing: that call fails clearly, the service goes on. */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
class EngineChoiceTest {

    @GrpcClient("self")
    MutinySpeechToTextGrpc.MutinySpeechToTextStub stt;

    @Test
    void theCallsEngineIsUsedAndAFailingEngineFailsOnlyThatCall() {
        Assumptions.assumeTrue(Speech.fliteInstalled(), "flite is not installed: sudo apt-get install flite");
        SttCalls calls = new SttCalls(stt);
        byte[] audio = Speech.bytes(Speech.concat(Speech.silence(300), Speech.say("slt", "open the blinds"), Speech.silence(800)));

        Transcript remote = finals(calls.run(utterance(SttConfig.newBuilder().setVad(true)
                .setEngine(FakeAnsweringEngine.NAME), audio))).get(0);
        assertThat(remote.getEngine()).isEqualTo(FakeAnsweringEngine.NAME);
        assertThat(remote.getText()).startsWith("heard ");

        Status down = calls.failure(utterance(SttConfig.newBuilder().setVad(true).setEngine(FakeDownEngine.NAME), audio));
        assertThat(down.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(down.getDescription()).isEqualTo("engine_unavailable: fake-unreachable: connection refused");

        Assumptions.assumeTrue(new java.io.File("/usr/share/pocketsphinx/model/en-us").isDirectory(), PocketsphinxEngine.INSTALL_HINT);
        Transcript local = finals(calls.run(utterance(SttConfig.newBuilder().setVad(true), audio))).get(0);
        assertThat(local.getEngine()).as("auto").isEqualTo("pocketsphinx");
        assertThat(local.getText()).isEqualTo("open the blinds");
    }
}
