package dev.hearth.router.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.VoiceStart;
import dev.hearth.router.FakeDownstream;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * stt-service and tts-service unreachable: a voice call fails clearly, text chats go on. The calls
 * here also have a short maximum duration (2 s), which a call that never starts reaches.
 */
@QuarkusTest
@TestProfile(VoiceWithoutSpeechServicesTest.SpeechNowhere.class)
class VoiceWithoutSpeechServicesTest {

    public static class SpeechNowhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 on loopback: nothing listens there, connections are refused at once.
            return Map.of("hearth.stt.host", "127.0.0.1", "hearth.stt.port", "1",
                    "hearth.tts.host", "127.0.0.1", "hearth.tts.port", "1",
                    "hearth.router.voice.max-call-duration", "2s");
        }
    }

    @GrpcClient("self")
    io.grpc.Channel channel;

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
    }

    @Test
    void aVoiceCallEndsWithSpeechUnavailableAndTextChatsAreUnaffected() {
        VoiceClient call = VoiceClient.open(channel)
                .start(VoiceStart.newBuilder().setRequestId("v-" + UUID.randomUUID()).setUserId("alice").build())
                .audio(100);
        List<ChatEvent> events = call.awaitEnd();
        assertThat(events.get(0).hasStarted()).isTrue();
        assertThat(events.stream().filter(e -> e.hasCompleted() || e.hasError())).hasSize(1);
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getError().getCode()).isEqualTo("speech_unavailable");
        assertThat(last.getError().getMessage()).contains("stt-service");

        List<ChatEvent> chat = router.chat(Multi.createFrom().item(ChatRequest.newBuilder()
                        .setRequestId("r-" + UUID.randomUUID()).setUserId("alice").setText("Hi").build()))
                .collect().asList().await().atMost(Duration.ofSeconds(10));
        assertThat(chat.get(chat.size() - 1).hasCompleted()).isTrue();
    }

    @Test
    void aCallEndsAtItsMaximumDuration() {
        long began = System.nanoTime();
        VoiceClient idle = VoiceClient.open(channel); // connected, never says anything
        List<ChatEvent> events = idle.awaitEnd();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getError().getCode()).isEqualTo("timeout");
            assertThat(e.getError().getMessage()).contains("maximum duration");
        });
        assertThat((System.nanoTime() - began) / 1_000_000).isGreaterThanOrEqualTo(1900);
    }
}
