package dev.hearth.router.voice;

import com.google.protobuf.ByteString;
import dev.hearth.proto.v1.AudioEvent;
import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.ChatStarted;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.SpeechActivity;
import dev.hearth.proto.v1.SpeechBoundary;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEnd;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.proto.v1.Transcript;
import dev.hearth.proto.v1.TranscriptEvent;
import dev.hearth.proto.v1.TtsConfig;
import dev.hearth.proto.v1.TtsFlush;
import dev.hearth.proto.v1.TtsInput;
import dev.hearth.proto.v1.TtsOutput;
import dev.hearth.proto.v1.Usage;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.proto.v1.VoiceStart;
import dev.hearth.proto.v1.VoiceTurn;
import dev.hearth.router.client.DuplexCall;
import dev.hearth.router.service.ChatOrchestrator;
import dev.hearth.router.service.TurnOptions;
import dev.hearth.router.service.TurnRecord;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One {@code Router.Voice} call: the caller's audio goes to one stt-service call; each final
 * transcript becomes a turn answered by the {@link ChatOrchestrator} (as a text chat turn, its
 * text streamed into a tts-service call of its own as it is written, so the first sentence is spoken
 * while the model writes the next); speech during an answer cuts it (barge-in) and history keeps
 * what was heard.
 * <p>
 * Event-driven: every input (caller messages, stt events, model events, tts audio, timers) takes
 * this call's lock, updates its state and emits what follows; nothing waits. The call ends with
 * exactly one {@code completed} or {@code error}, after the turns' messages are stored.
 * <p>
 * The caller is assumed to play a turn's audio back to back in real time from the moment its first
 * {@code audio} event was sent. A turn is therefore over only when its answer is written,
 * synthesized and played out; until then speech cuts it, and its {@code voice_turn} comes then.
 * History gets the user's transcript and the answer as heard: whole when it played out, else cut
 * to what was heard ({@code truncated}, {@code cancelled}; empty when nothing was). A turn cut while
 * its generation was still being set up (profile, history) has nothing stored.
 */
final class VoiceCall {

    private static final Logger LOG = Logger.getLogger(VoiceCall.class);
    private static final long ORIGIN = System.nanoTime() - 1;

    private enum Phase { AWAIT_START, RESOLVING, LISTENING, STOPPING, ENDED }

    private final VoiceService services;
    private final MultiEmitter<? super ChatEvent> out;
    private Cancellable inbound;
    private volatile ScheduledFuture<?> deadline;

    private Phase phase = Phase.AWAIT_START;
    private VoiceStart start;
    private Profile profile;
    private VoiceSettings settings;
    private String conversationId;
    private boolean conversationIsNew;
    private final List<ByteString> early = new ArrayList<>();
    private long earlyBytes;
    private boolean stopAsked;

    private DuplexCall<SttInput, SttEvent> stt;
    private boolean sttDone;
    private long audioBytes;
    /** When the end of the current utterance was detected (speech_ended arrived); 0: not yet. */
    private long utteranceEndNanos;
    private long utteranceEndEpochMs;

    private SpokenTurn turn;
    private int nextTurn;
    private boolean lastTurnCut;
    private int promptTokens;
    private int completionTokens;
    private String provider = "";
    private String model = "";
    private CompletableFuture<Void> stores = CompletableFuture.completedFuture(null);

    VoiceCall(VoiceService services, MultiEmitter<? super ChatEvent> out) {
        this.services = services;
        this.out = out;
    }

    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    void start(Multi<VoiceInput> inputs) {
        out.onTermination(this::callerGone);
        long max = services.settings().maxCallDuration().toMillis();
        deadline = Infrastructure.getDefaultWorkerPool().schedule(() -> end(SpeechErrors.error("timeout",
                "the voice call reached its maximum duration of " + max + " ms")), max, TimeUnit.MILLISECONDS);
        Cancellable subscription = inputs.subscribe().with(this::onInput, this::inputFailed, this::inputEnded);
        synchronized (this) {
            inbound = subscription;
            if (phase == Phase.ENDED) {
                subscription.cancel();
            }
        }
    }

    // ---- the caller's side

    private synchronized void onInput(VoiceInput input) {
        switch (input.getInputCase()) {
            case START -> {
                if (phase != Phase.AWAIT_START) {
                    invalid("start may only be sent once, as the first message");
                    return;
                }
                Optional<String> problem = VoiceSettings.problem(input.getStart());
                if (problem.isPresent()) {
                    invalid(problem.get());
                    return;
                }
                start = input.getStart();
                phase = Phase.RESOLVING;
                services.profiles().profile(start.getProfile()).subscribe().with(this::resolved, this::profileFailed);
            }
            case AUDIO -> audio(input.getAudio());
            case STOP -> {
                if (phase == Phase.AWAIT_START) {
                    invalid("stop before start: the first message must be start");
                    return;
                }
                stop();
            }
            default -> invalid("empty message: each VoiceInput carries start, audio or stop");
        }
    }

    private void audio(ByteString audio) {
        switch (phase) {
            case AWAIT_START -> invalid("audio before start: the first message must be start");
            case RESOLVING -> {
                early.add(audio);
                earlyBytes += audio.size();
                if (earlyBytes > services.settings().maxPendingAudioBytes()) {
                    end(SpeechErrors.error(SpeechErrors.SPEECH_UNAVAILABLE, "too much audio before the call was set up"));
                }
            }
            case LISTENING -> {
                audioBytes += audio.size();
                stt.send(SttInput.newBuilder().setAudio(audio).build());
            }
            default -> { } // stopping or ended: the utterance is already being closed
        }
    }

    private void inputFailed(Throwable failure) {
        // The caller's side broke (cancelled): nobody is listening any more.
        callerGone();
    }

    private synchronized void inputEnded() {
        if (phase == Phase.AWAIT_START) {
            invalid("the call ended before its start");
        } else {
            stop(); // a half-close is a stop
        }
    }

    private void stop() {
        stopAsked = true;
        if (phase == Phase.LISTENING) {
            phase = Phase.STOPPING;
            stt.send(SttInput.newBuilder().setEnd(SttEnd.getDefaultInstance()).build());
            stt.halfClose();
        }
    }

    private synchronized void resolved(Profile resolved) {
        if (phase != Phase.RESOLVING) {
            return;
        }
        profile = resolved;
        settings = VoiceSettings.resolve(start, resolved);
        conversationIsNew = start.getConversationId().isBlank();
        conversationId = conversationIsNew ? UUID.randomUUID().toString() : start.getConversationId();
        ChatStarted.Builder started = ChatStarted.newBuilder().setConversationId(conversationId).setProfile(resolved.getName());
        if (resolved.getTargetsCount() > 0) {
            ProfileTarget primary = resolved.getTargets(0);
            started.setProvider(primary.getProvider().getName()).setModel(primary.getModel());
        }
        out.emit(ChatEvent.newBuilder().setStarted(started).build());
        phase = Phase.LISTENING;
        stt = services.stt().transcribe(new DuplexCall.Listener<>() {
            @Override
            public void onAnswer(SttEvent event) {
                heard(event);
            }

            @Override
            public void failed(Throwable failure) {
                end(SpeechErrors.of("stt-service", failure));
            }

            @Override
            public void completed() {
                sttEnded();
            }
        });
        stt.send(SttInput.newBuilder().setConfig(SttConfig.newBuilder()
                .setSampleRate(settings.sampleRate())
                .setFormat(settings.format())
                .setLanguage(settings.language())
                .setEngine(settings.sttEngine())
                .setRequestId(start.getRequestId())
                .setVad(true)).build());
        for (ByteString audio : early) {
            audio(audio);
        }
        early.clear();
        if (stopAsked) {
            stop();
        }
    }

    private synchronized void profileFailed(Throwable failure) {
        end(ChatOrchestrator.setupError(failure));
    }

    private void invalid(String message) {
        end(SpeechErrors.error(SpeechErrors.INVALID_MESSAGE, message));
    }

    // ---- stt-service's side

    private synchronized void heard(SttEvent event) {
        if (phase == Phase.ENDED) {
            return;
        }
        switch (event.getEventCase()) {
            case SPEECH_STARTED -> speechStarted(event.getSpeechStarted());
            case SPEECH_ENDED -> {
                utteranceEndNanos = now();
                utteranceEndEpochMs = System.currentTimeMillis();
                emit(ChatEvent.newBuilder().setSpeech(SpeechActivity.newBuilder()
                        .setStarted(false).setAtMs(event.getSpeechEnded().getAtMs())).build());
            }
            case PARTIAL -> emit(transcriptEvent(event.getPartial(), false, nextTurn));
            case FINAL -> finalTranscript(event.getFinal());
            default -> { } // an event newer than this router
        }
    }

    private void speechStarted(SpeechBoundary boundary) {
        long nanos = now();
        SpokenTurn current = turn;
        if (current != null) {
            // The moment the user started speaking: the VAD reports it after some audio has passed.
            double delayMs = Math.max(0, audioBytes / settings.bytesPerMs() - boundary.getAtMs());
            long moment = nanos - (long) (Math.min(delayMs, services.settings().maxVadDelay().toMillis()) * 1e6);
            if (current.generationDone && current.speechDone && current.playbackLeftMs(moment) <= 0) {
                finishTurn(current); // it had all been heard: no barge-in, just the next utterance
                if (phase == Phase.ENDED) {
                    return;
                }
            } else {
                emit(ChatEvent.newBuilder().setSpeech(SpeechActivity.newBuilder()
                        .setStarted(true).setAtMs(boundary.getAtMs()).setBargeIn(true)).build());
                services.metrics().bargeIn();
                cut(current, current.heardAt(moment));
                return;
            }
        }
        emit(ChatEvent.newBuilder().setSpeech(SpeechActivity.newBuilder()
                .setStarted(true).setAtMs(boundary.getAtMs())).build());
    }

    private void finalTranscript(Transcript transcript) {
        long nanos = now();
        long endNanos = utteranceEndNanos != 0 ? utteranceEndNanos : nanos;
        long endEpochMs = utteranceEndNanos != 0 ? utteranceEndEpochMs : System.currentTimeMillis();
        utteranceEndNanos = 0;
        if (transcript.getText().isBlank()) {
            // Noise: no turn. A one-turn call whose answer was cut has nothing more to answer.
            if (turn == null && lastTurnCut && !start.getContinuous()) {
                end(completed());
            }
            return;
        }
        if (turn != null) {
            // Words without a speech_started before them (an engine without VAD events): still a barge-in.
            emit(ChatEvent.newBuilder().setSpeech(SpeechActivity.newBuilder()
                    .setStarted(true).setAtMs(transcript.getStartMs()).setBargeIn(true)).build());
            services.metrics().bargeIn();
            cut(turn, turn.heardAt(nanos));
        }
        int index = nextTurn++;
        emit(transcriptEvent(transcript, true, index));
        SpokenTurn spoken = new SpokenTurn(index, transcript.getText(), endNanos, endEpochMs, nanos,
                transcript.getComputeMs());
        turn = spoken;
        ChatRequest request = ChatRequest.newBuilder()
                .setRequestId(start.getRequestId() + "/" + index)
                .setUserId(start.getUserId())
                .setConversationId(conversationId)
                .setProfile(start.getProfile())
                .setText(transcript.getText())
                .setStreamId(start.getStreamId())
                .putMetadata("voice_turn", String.valueOf(index))
                .build();
        TurnOptions options = new TurnOptions(conversationIsNew ? conversationId : "", record -> recorded(spoken, record));
        conversationIsNew = false;
        CompletableFuture<Void> earlier = stores;
        if (earlier.isDone()) {
            generate(spoken, request, options);
        } else {
            // The turn this one cut is being stored: the model must see what was heard of it.
            earlier.whenComplete((ignored, failure) -> {
                synchronized (this) {
                    if (!spoken.ended && phase != Phase.ENDED) {
                        generate(spoken, request, options);
                    }
                }
            });
        }
    }

    private void generate(SpokenTurn spoken, ChatRequest request, TurnOptions options) {
        Cancellable generation = services.chats().chat(request, options).subscribe().with(
                event -> answered(spoken, event),
                failure -> answerFailed(spoken, failure));
        if (spoken.ended) {
            generation.cancel(); // cut while subscribing
        } else {
            spoken.generation = generation;
        }
    }

    private synchronized void sttEnded() {
        sttDone = true;
        if (phase == Phase.LISTENING) {
            phase = Phase.STOPPING; // stt ended by itself: no more utterances come
        }
        completeWhenIdle();
    }

    /** {@code index}: the turn this transcript opens. */
    private static ChatEvent transcriptEvent(Transcript transcript, boolean isFinal, int index) {
        return ChatEvent.newBuilder().setTranscript(TranscriptEvent.newBuilder()
                .setText(transcript.getText())
                .setFinal(isFinal)
                .addAllWords(transcript.getWordsList())
                .setLanguage(transcript.getLanguage())
                .setTurn(index)).build();
    }

    // ---- the model's answer

    private synchronized void answered(SpokenTurn spoken, ChatEvent event) {
        if (spoken.ended || phase == Phase.ENDED) {
            return;
        }
        switch (event.getEventCase()) {
            case TEXT -> {
                String text = event.getText().getText();
                if (spoken.firstTokenNanos == 0) {
                    spoken.firstTokenNanos = now();
                }
                spoken.answer.append(text);
                emit(event);
                if (spoken.speech != null) {
                    spoken.speech.send(TtsInput.newBuilder().setText(text).build());
                } else if (speakable(spoken.answer)) {
                    // Synthesis starts with the first words: a call with nothing to say would be refused.
                    spoken.speech = openSpeech(spoken);
                    spoken.speech.send(TtsInput.newBuilder().setText(spoken.answer.toString()).build());
                }
            }
            case TOOL_CALL, TOOL_RESULT -> emit(event);
            case COMPLETED -> {
                ChatCompleted completed = event.getCompleted();
                promptTokens += completed.getUsage().getPromptTokens();
                completionTokens += completed.getUsage().getCompletionTokens();
                provider = completed.getProvider();
                model = completed.getModel();
                spoken.generationDone = true;
                if (spoken.speech != null) {
                    spoken.speech.send(TtsInput.newBuilder().setFlush(TtsFlush.getDefaultInstance()).build());
                    spoken.speech.halfClose();
                } else {
                    spoken.speechDone = true; // nothing to say (an empty answer)
                }
                finishWhenPlayed(spoken);
            }
            case ERROR -> end(event);
            default -> { } // started: the call announced itself already
        }
    }

    private synchronized void answerFailed(SpokenTurn spoken, Throwable failure) {
        if (!spoken.ended) {
            LOG.warnf(failure, "voice turn %d of %s failed", spoken.index, start.getRequestId());
            end(SpeechErrors.error("internal", String.valueOf(failure.getMessage())));
        }
    }

    /** The turn's messages, handed over by the orchestrator when its generation ended. */
    private synchronized void recorded(SpokenTurn spoken, TurnRecord record) {
        spoken.record = record;
        if (spoken.ended) {
            store(spoken);
        }
    }

    private void store(SpokenTurn spoken) {
        TurnRecord record = spoken.record;
        if (record == null) {
            return; // not handed over yet (or the turn was cut before its generation began)
        }
        spoken.record = null;
        Uni<Void> write = spoken.heard != null ? record.storeHeard(spoken.heard) : record.store();
        stores = CompletableFuture.allOf(stores, write.subscribeAsCompletionStage().exceptionally(failure -> null));
    }

    // ---- tts-service: the answer's audio

    private static boolean speakable(CharSequence text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    private DuplexCall<TtsInput, TtsOutput> openSpeech(SpokenTurn spoken) {
        DuplexCall<TtsInput, TtsOutput> speech = services.tts().synthesize(new DuplexCall.Listener<>() {
            @Override
            public void onAnswer(TtsOutput output) {
                spoke(spoken, output);
            }

            @Override
            public void failed(Throwable failure) {
                speechFailed(spoken, failure);
            }

            @Override
            public void completed() {
                speechEnded(spoken);
            }
        });
        speech.send(TtsInput.newBuilder().setConfig(TtsConfig.newBuilder()
                .setVoice(settings.ttsVoice())
                .setEngine(settings.ttsEngine())
                .setLanguage(settings.language())
                .setSampleRate(settings.outputSampleRate())
                .setRequestId(start.getRequestId() + "/" + spoken.index)).build());
        return speech;
    }

    private synchronized void spoke(SpokenTurn spoken, TtsOutput output) {
        if (spoken.ended || phase == Phase.ENDED) {
            return;
        }
        switch (output.getOutputCase()) {
            case FORMAT -> spoken.format = output.getFormat();
            case AUDIO -> {
                long nanos = now();
                if (spoken.firstAudioSynthesizedNanos == 0) {
                    spoken.firstAudioSynthesizedNanos = nanos;
                }
                int rate = spoken.format != null ? spoken.format.getSampleRate() : 16000;
                int channels = spoken.format != null && spoken.format.getChannels() > 0 ? spoken.format.getChannels() : 1;
                double durationMs = output.getAudio().getData().size() / (rate * channels * 2 / 1000.0);
                emit(ChatEvent.newBuilder().setAudio(AudioEvent.newBuilder()
                        .setCodec(spoken.format != null ? spoken.format.getCodec() : VoiceSettings.PCM)
                        .setSampleRate(rate)
                        .setChannels(channels)
                        .setData(output.getAudio().getData())
                        .setText(output.getAudio().getText())
                        .setDurationMs((int) Math.round(durationMs))
                        .setTurn(spoken.index)).build());
                if (spoken.firstAudioSentNanos == 0) {
                    spoken.firstAudioSentNanos = now();
                }
                spoken.sent(output.getAudio().getText(), durationMs);
            }
            default -> { } // done: the call completes right after
        }
    }

    private synchronized void speechEnded(SpokenTurn spoken) {
        spoken.speechDone = true;
        finishWhenPlayed(spoken);
    }

    private synchronized void speechFailed(SpokenTurn spoken, Throwable failure) {
        if (!spoken.ended) {
            end(SpeechErrors.of("tts-service", failure));
        }
    }

    // ---- a turn's end

    /** Once written, synthesized and played out (a barge-in may cut it until then), the turn is over. */
    private void finishWhenPlayed(SpokenTurn spoken) {
        if (spoken.ended || !spoken.generationDone || !spoken.speechDone) {
            return;
        }
        double left = spoken.playbackLeftMs(now());
        if (left <= 0) {
            finishTurn(spoken);
            return;
        }
        Infrastructure.getDefaultWorkerPool().schedule(() -> {
            synchronized (this) {
                if (!spoken.ended && phase != Phase.ENDED) {
                    finishTurn(spoken);
                }
            }
        }, (long) Math.ceil(left), TimeUnit.MILLISECONDS);
    }

    private void finishTurn(SpokenTurn spoken) {
        spoken.ended = true;
        turn = null;
        lastTurnCut = false;
        String answer = spoken.answer.toString();
        emit(ChatEvent.newBuilder().setVoiceTurn(VoiceTurn.newBuilder()
                .setTurn(spoken.index)
                .setTranscript(spoken.transcript)
                .setAnswerText(answer)
                .setSpokenText(answer)
                .setLedger(spoken.ledger())).build());
        spoken.recordStages(services.metrics());
        services.metrics().turnEnded(false);
        store(spoken);
        if (!start.getContinuous()) {
            end(completed());
        } else {
            completeWhenIdle();
        }
    }

    /** Cuts the turn at what was heard: generation and synthesis are cancelled, history keeps {@code heard}. */
    private void cut(SpokenTurn spoken, String heard) {
        abort(spoken, heard);
        emit(ChatEvent.newBuilder().setVoiceTurn(VoiceTurn.newBuilder()
                .setTurn(spoken.index)
                .setTranscript(spoken.transcript)
                .setAnswerText(spoken.answer.toString())
                .setSpokenText(heard)
                .setInterrupted(true)
                .setLedger(spoken.ledger())).build());
        spoken.recordStages(services.metrics());
        services.metrics().turnEnded(true);
        lastTurnCut = true;
    }

    private void abort(SpokenTurn spoken, String heard) {
        spoken.ended = true;
        spoken.heard = heard;
        if (turn == spoken) {
            turn = null;
        }
        if (spoken.generation != null) {
            spoken.generation.cancel(); // the orchestrator hands its record over (see recorded) and stops the provider
        }
        if (spoken.speech != null) {
            spoken.speech.cancel("the answer was interrupted");
        }
        store(spoken);
    }

    private void completeWhenIdle() {
        if (phase == Phase.STOPPING && sttDone && turn == null) {
            end(completed());
        }
    }

    private ChatEvent completed() {
        return ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                .setFinishReason(FinishReason.FINISH_REASON_STOP)
                .setUsage(Usage.newBuilder().setPromptTokens(promptTokens).setCompletionTokens(completionTokens))
                .setProvider(provider)
                .setModel(model)
                .setConversationId(conversationId == null ? "" : conversationId)).build();
    }

    // ---- the call's end

    /** Ends the call with {@code terminal}, after everything in flight is cancelled and the turns are stored. */
    private synchronized void end(ChatEvent terminal) {
        if (!close()) {
            return;
        }
        CompletableFuture<Void> stored = stores;
        stored.whenComplete((ignored, failure) -> {
            out.emit(terminal);
            out.complete();
        });
    }

    /** The caller went away: stop everything, store what it heard. */
    private synchronized void callerGone() {
        close();
    }

    private boolean close() {
        if (phase == Phase.ENDED) {
            return false;
        }
        phase = Phase.ENDED;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (turn != null) {
            abort(turn, turn.heardAt(now()));
        }
        if (stt != null && !sttDone) {
            stt.cancel("the voice call ended");
        }
        if (inbound != null) {
            inbound.cancel();
        }
        return true;
    }

    private void emit(ChatEvent event) {
        out.emit(event);
    }
}
