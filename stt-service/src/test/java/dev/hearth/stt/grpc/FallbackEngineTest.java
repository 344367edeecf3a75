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
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** With a fallback engine configured, commands stay with the grammar and free-form speech goes to the fallback. */
@QuarkusTest
@QuarkusTestResource(FakeConfigService.class)
@TestProfile(FallbackEngineTest.WithFallback.class)
class FallbackEngineTest {

    public static class WithFallback implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.stt.fallback-engine", FakeAnsweringEngine.NAME);
        }
    }

    @GrpcClient("self")
    MutinySpeechToTextGrpc.MutinySpeechToTextStub stt;

    @Inject
    PocketsphinxEngine pocketsphinx;
    @Inject
    FakeAnsweringEngine fallback;

    @Test
    void questionsGoToTheFallbackEngineAndCommandsDoNot() {
        Assumptions.assumeTrue(Speech.fliteInstalled(), "flite is not installed: sudo apt-get install flite");
        Assumptions.assumeTrue(pocketsphinx.available(), "pocketsphinx is not installed: " + PocketsphinxEngine.INSTALL_HINT);
        SttCalls calls = new SttCalls(stt);
        org.awaitility.Awaitility.await().until(() -> pocketsphinxHasGrammar());

        Transcript command = finals(calls.run(utterance(SttConfig.newBuilder().setVad(true), Speech.bytes(Speech.concat(
                Speech.silence(300), Speech.say("slt", "close the garage door"), Speech.silence(800)))))).get(0);
        assertThat(command.getText()).isEqualTo("close the garage door");
        assertThat(command.getCommand()).isTrue();
        int before = fallback.calls();

        Transcript question = finals(calls.run(utterance(SttConfig.newBuilder().setVad(true), Speech.bytes(Speech.concat(
                Speech.silence(300), Speech.say("kal16", "who wrote the lord of the rings"), Speech.silence(800)))))).get(0);
        assertThat(question.getText()).startsWith("heard ");
        assertThat(question.getCommand()).isFalse();
        assertThat(fallback.calls()).isEqualTo(before + 1);
    }

    @Inject
    dev.hearth.stt.grammar.HomeGrammar grammar;

    boolean pocketsphinxHasGrammar() {
        return grammar.current().grammar() != null;
    }
}
