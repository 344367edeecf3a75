package dev.hearth.router.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.router.client.DuplexCall;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class SpeechErrorsTest {

    private static String code(Throwable failure) {
        return SpeechErrors.of("stt-service", failure).getError().getCode();
    }

    @Test
    void speechServiceFailuresGetStableCodes() {
        assertThat(code(Status.DEADLINE_EXCEEDED.withDescription("no_speech: nothing heard in 8 s").asRuntimeException()))
                .isEqualTo("no_speech");
        assertThat(code(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded").asRuntimeException()))
                .isEqualTo("speech_unavailable");
        assertThat(code(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException())).isEqualTo("speech_unavailable");
        assertThat(code(Status.INTERNAL.asRuntimeException())).isEqualTo("speech_unavailable");
        assertThat(code(Status.INVALID_ARGUMENT.withDescription("odd audio").asRuntimeException())).isEqualTo("invalid_message");
        assertThat(SpeechErrors.of("tts-service", Status.INVALID_ARGUMENT.withDescription("no voice 'x'").asRuntimeException())
                .getError().getMessage()).contains("tts-service").contains("no voice 'x'");
    }

    @Test
    void aSpeechServiceThatCannotKeepUpIsUnavailable() {
        assertThat(code(new DuplexCall.Overflow("not keeping up"))).isEqualTo("speech_unavailable");
    }
}
