package dev.hearth.gateway.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.proto.v1.AudioEvent;
import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Handover;
import dev.hearth.proto.v1.TranscriptEvent;
import dev.hearth.proto.v1.VoiceLedger;
import dev.hearth.proto.v1.VoiceTurn;
import dev.hearth.proto.v1.WordTiming;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** Turns the router's events into client events on a {@link ChatStream}. */
@ApplicationScoped
public class RouterEventRelay {

    private final ObjectMapper json;

    public RouterEventRelay(ObjectMapper json) {
        this.json = json;
    }

    public void relay(ChatEvent event, ChatStream stream) {
        switch (event.getEventCase()) {
            case TEXT -> stream.chunk("text", event.getText().getText());
            case TOOL_CALL -> stream.chunk("tool_call", json.createObjectNode()
                    .put("id", event.getToolCall().getCall().getId())
                    .put("name", event.getToolCall().getCall().getName())
                    .put("arguments", event.getToolCall().getCall().getArgumentsJson()));
            case TOOL_RESULT -> stream.chunk("tool_result", json.createObjectNode()
                    .put("id", event.getToolResult().getToolCallId())
                    .put("name", event.getToolResult().getName())
                    .put("result", event.getToolResult().getResultJson())
                    .put("is_error", event.getToolResult().getIsError()));
            case TRANSCRIPT -> stream.chunk("transcript", transcript(event.getTranscript()));
            case SPEECH -> stream.chunk("speech", json.createObjectNode()
                    .put("started", event.getSpeech().getStarted())
                    .put("at_ms", event.getSpeech().getAtMs())
                    .put("barge_in", event.getSpeech().getBargeIn()));
            case AUDIO -> audio(event.getAudio(), stream);
            case VOICE_TURN -> voiceTurn(event.getVoiceTurn(), stream, 0);
            case COMPLETED -> complete(event.getCompleted(), stream);
            case ERROR -> fail(event.getError(), stream);
            default -> {
                // started, and kinds this gateway does not know yet: nothing for the client
            }
        }
    }

    private ObjectNode transcript(TranscriptEvent transcript) {
        ObjectNode data = json.createObjectNode()
                .put("text", transcript.getText())
                .put("final", transcript.getFinal())
                .put("turn", transcript.getTurn());
        if (!transcript.getLanguage().isEmpty()) {
            data.put("language", transcript.getLanguage());
        }
        ArrayNode words = data.putArray("words");
        for (WordTiming word : transcript.getWordsList()) {
            words.addObject().put("word", word.getWord()).put("start_ms", word.getStartMs()).put("end_ms", word.getEndMs());
        }
        return data;
    }

    /** An {@code audio} chunk; its bytes follow as a binary frame to every watcher. */
    public void audio(AudioEvent audio, ChatStream stream) {
        stream.audio(json.createObjectNode()
                .put("codec", audio.getCodec())
                .put("sample_rate", audio.getSampleRate())
                .put("channels", audio.getChannels())
                .put("text", audio.getText())
                .put("duration_ms", audio.getDurationMs())
                .put("bytes", audio.getData().size())
                .put("turn", audio.getTurn()), audio.getData().toByteArray());
    }

    /**
     * A {@code voice_turn} chunk: the turn's outcome and latency ledger, with
     * {@code first_audio_to_client_ms} (measured by this gateway; 0 when no audio was sent).
     */
    public void voiceTurn(VoiceTurn turn, ChatStream stream, long firstAudioToClientMs) {
        VoiceLedger ledger = turn.getLedger();
        ObjectNode data = json.createObjectNode()
                .put("turn", turn.getTurn())
                .put("transcript", turn.getTranscript())
                .put("answer_text", turn.getAnswerText())
                .put("spoken_text", turn.getSpokenText())
                .put("interrupted", turn.getInterrupted());
        data.putObject("latency")
                .put("utterance_end_epoch_ms", ledger.getUtteranceEndEpochMs())
                .put("final_transcript_ms", ledger.getFinalTranscriptMs())
                .put("first_token_ms", ledger.getFirstTokenMs())
                .put("first_audio_synthesized_ms", ledger.getFirstAudioSynthesizedMs())
                .put("first_audio_sent_ms", ledger.getFirstAudioSentMs())
                .put("first_audio_to_client_ms", firstAudioToClientMs)
                .put("stt_compute_ms", ledger.getSttComputeMs());
        stream.chunk("voice_turn", data);
    }

    /** The router's stream ended without a terminal event: say so rather than truncate silently. */
    public void endedWithoutTerminal(ChatStream stream) {
        stream.complete("incomplete", event -> { });
    }

    public void failed(Throwable failure, ChatStream stream) {
        Status status = Status.fromThrowable(failure);
        ErrorCode code = switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
            case INVALID_ARGUMENT -> ErrorCode.INVALID_MESSAGE;
            default -> ErrorCode.INTERNAL;
        };
        String message = status.getCode() == Status.Code.UNAVAILABLE
                ? "the router is unreachable; try again shortly"
                : String.valueOf(status.getDescription());
        stream.fail(code, message, 0);
    }

    private static void complete(ChatCompleted done, ChatStream stream) {
        stream.complete(finishReason(done.getFinishReason()), event -> {
            ObjectNode usage = event.putObject("usage");
            usage.put("prompt_tokens", done.getUsage().getPromptTokens());
            usage.put("completion_tokens", done.getUsage().getCompletionTokens());
            event.put("provider", done.getProvider());
            event.put("model", done.getModel());
            if (!done.getConversationId().isEmpty()) {
                event.put("conversation_id", done.getConversationId());
            }
            // An extension of hearth.v1: how the answer moved along the profile's fallback chain.
            if (done.getHandoversCount() > 0) {
                ArrayNode handovers = event.putArray("handovers");
                for (Handover handover : done.getHandoversList()) {
                    handovers.addObject()
                            .put("from_provider", handover.getFromProvider())
                            .put("from_model", handover.getFromModel())
                            .put("to_provider", handover.getToProvider())
                            .put("to_model", handover.getToModel())
                            .put("reason", handover.getReason())
                            .put("message", handover.getMessage())
                            .put("after_chars", handover.getAfterChars());
                }
            }
        });
    }

    private static void fail(ErrorInfo error, ChatStream stream) {
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.getCode().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            code = ErrorCode.INTERNAL;
        }
        stream.fail(code, error.getMessage(), error.getRetryAfterMs());
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case FINISH_REASON_STOP -> "stop";
            case FINISH_REASON_LENGTH -> "length";
            case FINISH_REASON_TOOL_CALLS -> "tool_calls";
            case FINISH_REASON_CANCELLED -> "cancelled";
            case FINISH_REASON_INCOMPLETE, FINISH_REASON_ERROR -> "incomplete";
            default -> "stop";
        };
    }
}
