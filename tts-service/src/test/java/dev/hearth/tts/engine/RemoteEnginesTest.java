package dev.hearth.tts.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.MutinyTextToSpeechGrpc;
import dev.hearth.proto.v1.TtsConfig;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import dev.hearth.tts.fake.FakeSpeechServers;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible and Wyoming-client engines against fakes speaking their real formats. */
@QuarkusTest
@TestProfile(RemoteEnginesTest.Remote.class)
@QuarkusTestResource(value = FakeSpeechServers.class, restrictToAnnotatedClass = true)
class RemoteEnginesTest {

    /** Redis is unreachable here: every synthesis must still work, uncached. */
    public static class Remote implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.redis.url", "redis://127.0.0.1:1", "hearth.tts.wyoming-server.enabled", "false");
        }
    }

    @GrpcClient("self")
    MutinyTextToSpeechGrpc.MutinyTextToSpeechStub tts;

    List<TtsOutput> call(String engine, String voice, int rate, String text) {
        return tts.synthesize(Multi.createFrom().items(
                        TtsInput.newBuilder().setConfig(TtsConfig.newBuilder().setEngine(engine).setVoice(voice)
                                .setSampleRate(rate)).build(),
                        TtsInput.newBuilder().setText(text).build()))
                .collect().asList().await().atMost(Duration.ofSeconds(30));
    }

    Status failure(String engine, String voice, String text) {
        Throwable failure = tts.synthesize(Multi.createFrom().items(
                        TtsInput.newBuilder().setConfig(TtsConfig.newBuilder().setEngine(engine).setVoice(voice)).build(),
                        TtsInput.newBuilder().setText(text).build()))
                .collect().asList().onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(30));
        assertThat(failure).isNotNull();
        return Status.fromThrowable(failure);
    }

    static int audioBytes(List<TtsOutput> out) {
        return out.stream().filter(TtsOutput::hasAudio).mapToInt(o -> o.getAudio().getData().size()).sum();
    }

    @Test
    void openAiCompatibleServerGetsTheRealRequestShapeAndKey() {
        FakeSpeechServers.HTTP_REQUESTS.clear();
        FakeSpeechServers.HTTP_AUTH.clear();
        List<TtsOutput> out = call("openai", "nova", 0, "Hi there. Bye.");
        assertThat(out.get(0).getFormat().getSampleRate()).isEqualTo(24000);
        assertThat(audioBytes(out)).isEqualTo(2 * (int) (24000 * 0.05 * "Hi there.".length())
                + 2 * (int) (24000 * 0.05 * "Bye.".length()));
        assertThat(out.get(out.size() - 1).hasDone()).isTrue();
        assertThat(FakeSpeechServers.HTTP_REQUESTS).hasSize(2);
        assertThat(FakeSpeechServers.HTTP_REQUESTS.get(0).getMap()).containsEntry("model", "tts-1")
                .containsEntry("input", "Hi there.").containsEntry("voice", "nova").containsEntry("response_format", "pcm");
        assertThat(FakeSpeechServers.HTTP_AUTH).allMatch(a -> a.equals("Bearer " + System.getenv(FakeSpeechServers.KEY_ENV)));
        // Resampled on the way out when asked.
        List<TtsOutput> resampled = call("openai", "alloy", 16000, "Hi there.");
        assertThat(resampled.get(0).getFormat().getSampleRate()).isEqualTo(16000);
        assertThat(audioBytes(resampled)).isEqualTo(2 * (int) (16000 * 0.05 * "Hi there.".length()));
    }

    @Test
    void openAiErrorsBecomeClearStatuses() {
        Status crashed = failure("openai", "alloy", "This goes boom.");
        assertThat(crashed.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(crashed.getDescription()).contains("HTTP 500").contains("the model crashed");
        Status voice = failure("openai", "nobody", "Hello.");
        assertThat(voice.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(voice.getDescription()).contains("voice nobody not found");
        Status unknown = failure("openai", "shimmer", "Hello.");
        assertThat(unknown.getDescription()).contains("unknown voice 'shimmer'").contains("alloy, nova");
    }

    @Test
    void staysReadyWithRedisDown() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"));
    }

    @Test
    void wyomingServerAsAnEngine() {
        FakeSpeechServers.WYOMING_REQUESTS.clear();
        List<TtsOutput> out = call("wyoming", "de_DE-thorsten-low", 0, "Guten Tag. Wie geht's?");
        assertThat(out.get(0).getFormat().getSampleRate()).isEqualTo(22050);
        assertThat(out.stream().filter(TtsOutput::hasAudio).map(o -> o.getAudio().getText()).distinct())
                .containsExactly("Guten Tag.", "Wie geht's?");
        assertThat(audioBytes(out)).isEqualTo(2 * (int) (22050 * 0.05 * 10) + 2 * (int) (22050 * 0.05 * 11));
        assertThat(FakeSpeechServers.WYOMING_REQUESTS.get(0).encode())
                .isEqualTo("{\"text\":\"Guten Tag.\",\"voice\":{\"name\":\"de_DE-thorsten-low\"}}");
        Status crashed = failure("wyoming", "", "This goes boom.");
        assertThat(crashed.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(crashed.getDescription()).contains("piper crashed");
    }
}
