package dev.hearth.router.voice;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.router.client.DuplexCall;
import io.grpc.Status;

/**
 * Failures of the speech services as the stable codes of PROTOCOL.md: {@code no_speech} (stt heard
 * no speech in time), {@code speech_unavailable} (stt or tts unreachable, failing or not keeping
 * up), {@code invalid_message} (they refused what the caller sent: bad audio, unknown voice).
 */
final class SpeechErrors {

    static final String NO_SPEECH = "no_speech";
    static final String SPEECH_UNAVAILABLE = "speech_unavailable";
    static final String INVALID_MESSAGE = "invalid_message";

    private SpeechErrors() {
    }

    static ChatEvent of(String service, Throwable failure) {
        if (failure instanceof DuplexCall.Overflow) {
            return error(SPEECH_UNAVAILABLE, service + ": " + failure.getMessage());
        }
        Status status = Status.fromThrowable(failure);
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> description.startsWith("no_speech")
                    ? error(NO_SPEECH, description)
                    : error(SPEECH_UNAVAILABLE, service + " did not answer in time: " + description);
            case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION, NOT_FOUND -> error(INVALID_MESSAGE,
                    service + " refused the request: " + description);
            default -> error(SPEECH_UNAVAILABLE, service + " unavailable: " + description);
        };
    }

    static ChatEvent error(String code, String message) {
        return ChatEvent.newBuilder().setError(ErrorInfo.newBuilder().setCode(code).setMessage(message)).build();
    }
}
