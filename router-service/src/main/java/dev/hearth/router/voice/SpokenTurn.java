package dev.hearth.router.voice;

import dev.hearth.proto.v1.AudioFormat;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import dev.hearth.proto.v1.VoiceLedger;
import dev.hearth.router.client.DuplexCall;
import dev.hearth.router.service.TurnRecord;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.ArrayList;
import java.util.List;

/**
 * One answered utterance of a voice call: the answer as written, the audio sent for it (and so what
 * the caller has heard at any moment, playing it back to back from the first audio on), the
 * stages of its latency ledger. Guarded by its {@link VoiceCall}'s lock.
 */
final class SpokenTurn {

    final int index;
    final String transcript;
    final StringBuilder answer = new StringBuilder();
    final List<HeardText.Sentence> sentences = new ArrayList<>();

    /** Reference of the ledger: the end of the user's speech was detected (nanoTime and epoch ms). */
    final long utteranceEndNanos;
    final long utteranceEndEpochMs;
    final long finalNanos;
    final int sttComputeMs;
    long firstTokenNanos;
    long firstAudioSynthesizedNanos;
    long firstAudioSentNanos;

    Cancellable generation;
    DuplexCall<TtsInput, TtsOutput> speech;
    AudioFormat format;
    double playbackMs;
    boolean generationDone;
    boolean speechDone;
    boolean ended;
    /** Set when the turn was cut: the record is stored with this as the answer. */
    String heard;
    TurnRecord record;

    SpokenTurn(int index, String transcript, long utteranceEndNanos, long utteranceEndEpochMs, long finalNanos,
            int sttComputeMs) {
        this.index = index;
        this.transcript = transcript;
        this.utteranceEndNanos = utteranceEndNanos;
        this.utteranceEndEpochMs = utteranceEndEpochMs;
        this.finalNanos = finalNanos;
        this.sttComputeMs = sttComputeMs;
    }

    /** Audio of {@code text} lasting {@code durationMs} was sent. Chunks of one sentence share its text. */
    void sent(String text, double durationMs) {
        int last = sentences.size() - 1;
        if (last >= 0 && sentences.get(last).text().equals(text)) {
            sentences.set(last, new HeardText.Sentence(text, sentences.get(last).durationMs() + durationMs));
        } else {
            sentences.add(new HeardText.Sentence(text, durationMs));
        }
        playbackMs += durationMs;
    }

    /** Milliseconds of audio still to play at {@code nanos}; 0 when all of it has played (or none was sent). */
    double playbackLeftMs(long nanos) {
        if (firstAudioSentNanos == 0) {
            return 0;
        }
        return Math.max(0, playbackMs - (nanos - firstAudioSentNanos) / 1e6);
    }

    /** What the caller had heard of the answer at {@code nanos}. */
    String heardAt(long nanos) {
        if (firstAudioSentNanos == 0 || nanos <= firstAudioSentNanos) {
            return "";
        }
        return HeardText.heard(answer.toString(), sentences, (nanos - firstAudioSentNanos) / 1e6);
    }

    VoiceLedger ledger() {
        return VoiceLedger.newBuilder()
                .setUtteranceEndEpochMs(utteranceEndEpochMs)
                .setFinalTranscriptMs(sinceEnd(finalNanos))
                .setFirstTokenMs(sinceEnd(firstTokenNanos))
                .setFirstAudioSynthesizedMs(sinceEnd(firstAudioSynthesizedNanos))
                .setFirstAudioSentMs(sinceEnd(firstAudioSentNanos))
                .setSttComputeMs(sttComputeMs)
                .build();
    }

    void recordStages(VoiceMetrics metrics) {
        stage(metrics, VoiceMetrics.Stage.FINAL_TRANSCRIPT, finalNanos);
        stage(metrics, VoiceMetrics.Stage.FIRST_TOKEN, firstTokenNanos);
        stage(metrics, VoiceMetrics.Stage.FIRST_AUDIO_SYNTHESIZED, firstAudioSynthesizedNanos);
        stage(metrics, VoiceMetrics.Stage.FIRST_AUDIO_SENT, firstAudioSentNanos);
    }

    private void stage(VoiceMetrics metrics, VoiceMetrics.Stage stage, long nanos) {
        if (nanos != 0) {
            metrics.stage(stage, Math.max(0, nanos - utteranceEndNanos));
        }
    }

    /** Milliseconds from the end of speech to {@code nanos}; 0 when the stage was not reached. */
    private int sinceEnd(long nanos) {
        return nanos == 0 ? 0 : (int) Math.max(0, (nanos - utteranceEndNanos) / 1_000_000L);
    }
}
