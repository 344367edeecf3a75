package dev.hearth.router.voice;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.AudioEvent;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.VoiceInput;
import dev.hearth.proto.v1.VoiceLedger;
import dev.hearth.proto.v1.VoiceStart;
import dev.hearth.proto.v1.VoiceTurn;
import dev.hearth.router.FakeDownstream;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spoken calls over real gRPC against {@link FakeSpeechToText}, {@link FakeTextToSpeech} and the
 * fake model of {@link FakeDownstream}: a turn end to end, overlap of writing and speaking,
 * barge-in, continuous calls, stop, the caller hanging up, bad input.
 */
@QuarkusTest
@TestProfile(VoiceCallTest.PatientModel.class)
class VoiceCallTest {

    /** A story's model pauses while the test listens: the model's timeouts must not end it first. */
    public static class PatientModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.router.first-token-timeout", "10s", "hearth.router.idle-timeout", "10s");
        }
    }

    private static final String LAMP = "turn on the lamp";
    private static final String LAMP_ANSWER = "One two three";

    @GrpcClient("self")
    io.grpc.Channel channel;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
    }

    private static VoiceStart.Builder start() {
        return VoiceStart.newBuilder().setRequestId("v-" + UUID.randomUUID()).setUserId("alice");
    }

    private static FakeSpeechToText.Session stt(String requestId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeSpeechToText.SESSIONS.containsKey(requestId));
        return FakeSpeechToText.SESSIONS.get(requestId);
    }

    private static FakeTextToSpeech.Synthesis tts(String requestId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeTextToSpeech.CALLS.containsKey(requestId));
        return FakeTextToSpeech.CALLS.get(requestId);
    }

    private static List<ChatEvent.EventCase> cases(List<ChatEvent> events) {
        List<ChatEvent.EventCase> cases = new ArrayList<>();
        for (ChatEvent event : events) {
            // consecutive text and audio chunks read as one step
            ChatEvent.EventCase c = event.getEventCase();
            boolean chunk = c == ChatEvent.EventCase.TEXT || c == ChatEvent.EventCase.AUDIO;
            if (!(chunk && !cases.isEmpty() && cases.get(cases.size() - 1) == c)) {
                cases.add(c);
            }
        }
        return cases;
    }

    private static void assertOneTerminalError(List<ChatEvent> events, String code) {
        assertThat(events.stream().filter(e -> e.hasCompleted() || e.hasError())).hasSize(1);
        assertThat(events.get(events.size() - 1).getError().getCode()).isEqualTo(code);
    }

    private static double metric(String name, String labels) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : body.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labels)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + name + " with " + labels);
    }

    @Test
    void aTurnIsTranscribedAnsweredSpokenAndStored() {
        VoiceStart start = start().setTtsEngine("flite").setTtsVoice("slt").setOutputSampleRate(22050).build();
        long before = System.currentTimeMillis();
        VoiceClient call = VoiceClient.open(channel).start(start).audio(100);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        await().atMost(Duration.ofSeconds(5)).until(() -> stt.audioBytes == 3200);
        stt.speechStarted(0);
        stt.partial("turn");
        stt.speechEnded(1200);
        stt.finalText(LAMP);

        List<ChatEvent> events = call.awaitEnd();
        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.OK);
        assertThat(cases(events)).containsExactly(ChatEvent.EventCase.STARTED, ChatEvent.EventCase.SPEECH,
                ChatEvent.EventCase.TRANSCRIPT, ChatEvent.EventCase.SPEECH, ChatEvent.EventCase.TRANSCRIPT,
                ChatEvent.EventCase.TEXT, ChatEvent.EventCase.AUDIO, ChatEvent.EventCase.VOICE_TURN,
                ChatEvent.EventCase.COMPLETED);
        String conversation = events.get(0).getStarted().getConversationId();
        assertThat(events.get(0).getStarted().getProfile()).isEqualTo("default");
        assertThat(events.get(1).getSpeech().getStarted()).isTrue();
        assertThat(events.get(2).getTranscript().getFinal()).isFalse();
        assertThat(events.get(3).getSpeech().getStarted()).isFalse();
        assertThat(events.get(3).getSpeech().getAtMs()).isEqualTo(1200);
        ChatEvent transcript = events.get(4);
        assertThat(transcript.getTranscript().getFinal()).isTrue();
        assertThat(transcript.getTranscript().getText()).isEqualTo(LAMP);
        assertThat(transcript.getTranscript().getWordsList()).extracting(w -> w.getWord()).containsExactly("turn", "on", "the", "lamp");
        assertThat(transcript.getTranscript().getLanguage()).isEqualTo("en");
        assertThat(transcript.getTranscript().getTurn()).isZero();
        assertThat(events).filteredOn(ChatEvent::hasText).extracting(e -> e.getText().getText())
                .containsExactlyElementsOf(FakeDownstream.ANSWER);

        List<AudioEvent> audio = events.stream().filter(ChatEvent::hasAudio).map(ChatEvent::getAudio).toList();
        assertThat(audio).allSatisfy(a -> {
            assertThat(a.getCodec()).isEqualTo("pcm_s16le");
            assertThat(a.getSampleRate()).isEqualTo(22050);
            assertThat(a.getChannels()).isEqualTo(1);
            assertThat(a.getText()).isEqualTo(LAMP_ANSWER);
            assertThat(a.getTurn()).isZero();
        });
        int totalMs = audio.stream().mapToInt(AudioEvent::getDurationMs).sum();
        assertThat(totalMs).isBetween(179, 181);
        // the turn is over once its audio has played at the caller: voice_turn comes no sooner
        long firstAudio = call.arrival(ChatEvent::hasAudio).nanos();
        long turnEnd = call.arrival(ChatEvent::hasVoiceTurn).nanos();
        assertThat((turnEnd - firstAudio) / 1_000_000).isGreaterThanOrEqualTo(totalMs - 60);

        VoiceTurn turn = events.get(events.size() - 2).getVoiceTurn();
        assertThat(turn.getTurn()).isZero();
        assertThat(turn.getTranscript()).isEqualTo(LAMP);
        assertThat(turn.getAnswerText()).isEqualTo(LAMP_ANSWER);
        assertThat(turn.getSpokenText()).isEqualTo(LAMP_ANSWER);
        assertThat(turn.getInterrupted()).isFalse();
        VoiceLedger ledger = turn.getLedger();
        assertThat(ledger.getUtteranceEndEpochMs()).isBetween(before, System.currentTimeMillis());
        assertThat(ledger.getFinalTranscriptMs()).isGreaterThanOrEqualTo(0);
        assertThat(ledger.getFirstTokenMs()).isGreaterThanOrEqualTo(ledger.getFinalTranscriptMs());
        assertThat(ledger.getFirstAudioSynthesizedMs()).isGreaterThanOrEqualTo(ledger.getFirstTokenMs());
        assertThat(ledger.getFirstAudioSentMs()).isGreaterThanOrEqualTo(ledger.getFirstAudioSynthesizedMs());
        assertThat(ledger.getFirstAudioSentMs()).isLessThan(2000);
        assertThat(ledger.getSttComputeMs()).isEqualTo(12);

        ChatEvent completed = events.get(events.size() - 1);
        assertThat(completed.getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(completed.getCompleted().getConversationId()).isEqualTo(conversation);
        assertThat(completed.getCompleted().getUsage().getPromptTokens()).isEqualTo(7);
        assertThat(completed.getCompleted().getUsage().getCompletionTokens()).isEqualTo(3);

        // stored before `completed`: both sides, the answer whole
        List<StoredMessage> stored = FakeDownstream.HISTORY.get(conversation);
        assertThat(stored).extracting(m -> m.getMessage().getRole() + ":" + m.getMessage().getContent())
                .containsExactly("ROLE_USER:" + LAMP, "ROLE_ASSISTANT:" + LAMP_ANSWER);
        assertThat(stored.get(1).getTruncated()).isFalse();
        assertThat(stored.get(1).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);

        // what the speech services were asked for
        assertThat(stt.config.getVad()).isTrue();
        assertThat(stt.config.getSampleRate()).isEqualTo(16000);
        assertThat(stt.config.getFormat()).isEqualTo("pcm_s16le");
        FakeTextToSpeech.Synthesis tts = tts(start.getRequestId() + "/0");
        assertThat(tts.config.getEngine()).isEqualTo("flite");
        assertThat(tts.config.getVoice()).isEqualTo("slt");
        assertThat(tts.config.getSampleRate()).isEqualTo(22050);
        assertThat(tts.spoken).containsExactly(LAMP_ANSWER);
        // a one-turn call ends its stt call with it
        await().atMost(Duration.ofSeconds(5)).until(() -> stt.cancelled);

        assertThat(metric("hearth_router_voice_stage_seconds_count", "stage=\"first_audio_sent\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("hearth_router_voice_stage_seconds_count", "stage=\"final_transcript\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("hearth_router_voice_turns_total", "outcome=\"answered\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void voiceSettingsComeFromTheStartThenTheProfile() {
        VoiceStart start = start().setProfile("voice").setTtsVoice("slt").build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        assertThat(stt.config.getEngine()).isEqualTo("pocketsphinx");
        assertThat(stt.config.getLanguage()).isEqualTo("en");
        stt.utter(LAMP);
        assertThat(call.awaitEnd().get(call.received.size() - 1).hasCompleted()).isTrue();
        FakeTextToSpeech.Synthesis tts = tts(start.getRequestId() + "/0");
        assertThat(tts.config.getEngine()).isEqualTo("espeak");
        assertThat(tts.config.getVoice()).isEqualTo("slt");
        assertThat(tts.config.getLanguage()).isEqualTo("en");
        assertThat(tts.config.getSampleRate()).isZero(); // the engine's own rate

        // without a profile's settings or overrides, the speech services choose
        VoiceStart plain = start().build();
        VoiceClient plainCall = VoiceClient.open(channel).start(plain);
        FakeSpeechToText.Session plainStt = stt(plain.getRequestId());
        assertThat(plainStt.config.getEngine()).isEmpty();
        plainStt.utter(LAMP);
        plainCall.awaitEnd();
        assertThat(tts(plain.getRequestId() + "/0").config.getEngine()).isEmpty();
        assertThat(tts(plain.getRequestId() + "/0").config.getVoice()).isEmpty();
    }

    @Test
    void theFirstSentenceIsSpokenWhileTheModelWritesTheNext() {
        String words = "story overlap " + UUID.randomUUID();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        FakeDownstream.GATES.put(words, gate);
        VoiceStart start = start().build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        stt(start.getRequestId()).utter(words);

        ChatEvent firstAudio = call.awaitEvent(ChatEvent::hasAudio);
        assertThat(firstAudio.getAudio().getText()).isEqualTo("Once upon a time there was a lamp.");
        // the model has not written its last sentence yet: it waits for the gate
        assertThat(call.events()).filteredOn(ChatEvent::hasText)
                .noneMatch(e -> e.getText().getText().contains(FakeDownstream.STORY_END));
        gate.complete(null);

        List<ChatEvent> events = call.awaitEnd();
        int audioAt = events.indexOf(firstAudio);
        int lastTextAt = events.indexOf(events.stream()
                .filter(e -> e.hasText() && e.getText().getText().contains(FakeDownstream.STORY_END)).findFirst().orElseThrow());
        assertThat(audioAt).isLessThan(lastTextAt);
        assertThat(events.stream().filter(ChatEvent::hasAudio).map(e -> e.getAudio().getText()).distinct().toList())
                .containsExactly("Once upon a time there was a lamp.", "It glowed all night long.", "The end.");
        VoiceTurn turn = events.get(events.size() - 2).getVoiceTurn();
        assertThat(turn.getAnswerText()).isEqualTo(FakeDownstream.STORY_START + FakeDownstream.STORY_END);
        assertThat(turn.getInterrupted()).isFalse();
    }

    @Test
    void bargeInCutsModelAndSpeechAndHistoryKeepsWhatWasHeard() {
        String words = "story barge " + UUID.randomUUID();
        CompletableFuture<Void> gate = new CompletableFuture<>(); // never opened: the model is still writing
        FakeDownstream.GATES.put(words, gate);
        int generationsCancelled = FakeDownstream.GENERATE_CANCELLED.get();
        VoiceStart start = start().build();
        VoiceClient call = VoiceClient.open(channel).start(start).audio(100);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        await().atMost(Duration.ofSeconds(5)).until(() -> stt.audioBytes == 3200);
        stt.utter(words);

        String first = "Once upon a time there was a lamp.";
        String second = "It glowed all night long.";
        call.awaitEvent(e -> e.hasAudio() && e.getAudio().getText().equals(second));
        long firstAudio = call.arrival(ChatEvent::hasAudio).nanos();
        // the first sentence has played, the second is half-way
        long halfWay = (FakeTextToSpeech.durationMs(first) + FakeTextToSpeech.durationMs(second) / 2) * 1_000_000L;
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - firstAudio >= halfWay);
        long playedBefore = (System.nanoTime() - firstAudio) / 1_000_000;
        stt.speechStarted(100); // all the audio sent so far: no VAD delay to allow for
        ChatEvent bargeIn = call.awaitEvent(e -> e.hasSpeech() && e.getSpeech().getBargeIn());
        long playedAfter = (call.arrival(e -> e.hasSpeech() && e.getSpeech().getBargeIn()).nanos() - firstAudio) / 1_000_000;
        assertThat(bargeIn.getSpeech().getStarted()).isTrue();

        VoiceTurn cut = call.awaitEvent(ChatEvent::hasVoiceTurn).getVoiceTurn();
        assertThat(cut.getInterrupted()).isTrue();
        assertThat(cut.getTurn()).isZero();
        assertThat(cut.getAnswerText()).isEqualTo(FakeDownstream.STORY_START);
        String spoken = cut.getSpokenText();
        assertThat(spoken).startsWith(first);
        assertThat(cut.getAnswerText()).startsWith(spoken);
        assertThat(spoken.length()).isLessThan(cut.getAnswerText().strip().length());
        // exactly the sentences played by then, and the words of the one playing in proportion
        List<HeardText.Sentence> sentences = List.of(new HeardText.Sentence(first, FakeTextToSpeech.durationMs(first)),
                new HeardText.Sentence(second, FakeTextToSpeech.durationMs(second)));
        List<String> possible = new ArrayList<>();
        // the router's clock started when it sent the first audio, a little before it arrived here
        for (long played = playedBefore; played <= playedAfter + 50; played++) {
            possible.add(HeardText.heard(cut.getAnswerText(), sentences, played));
        }
        assertThat(possible).contains(spoken);

        // the model's call and the synthesis were cancelled at once
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.GENERATE_CANCELLED.get() > generationsCancelled);
        await().atMost(Duration.ofSeconds(5)).until(() -> tts(start.getRequestId() + "/0").cancelled);

        // the interrupting utterance is the next turn of the same call
        stt.speechEnded(2400);
        stt.finalText(LAMP);
        List<ChatEvent> events = call.awaitEnd();
        assertThat(events).filteredOn(ChatEvent::hasTranscript).filteredOn(e -> e.getTranscript().getFinal())
                .extracting(e -> e.getTranscript().getTurn()).containsExactly(0, 1);
        VoiceTurn next = events.get(events.size() - 2).getVoiceTurn();
        assertThat(next.getTurn()).isEqualTo(1);
        assertThat(next.getInterrupted()).isFalse();
        assertThat(next.getSpokenText()).isEqualTo(LAMP_ANSWER);
        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();

        // history keeps what was heard, not what was written
        String conversation = events.get(0).getStarted().getConversationId();
        List<StoredMessage> stored = FakeDownstream.HISTORY.get(conversation);
        assertThat(stored).extracting(m -> m.getMessage().getRole() + ":" + m.getMessage().getContent())
                .containsExactly("ROLE_USER:" + words, "ROLE_ASSISTANT:" + spoken, "ROLE_USER:" + LAMP,
                        "ROLE_ASSISTANT:" + LAMP_ANSWER);
        assertThat(stored.get(1).getTruncated()).isTrue();
        assertThat(stored.get(1).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
        assertThat(stored.get(3).getTruncated()).isFalse();
        // and the model heard the same in turn 1
        assertThat(FakeDownstream.GENERATE_REQUESTS).filteredOn(r -> r.getRequestId().equals(start.getRequestId() + "/1"))
                .singleElement().satisfies(r -> assertThat(r.getMessagesList())
                        .extracting(m -> m.getRole() + ":" + m.getContent())
                        .contains("ROLE_ASSISTANT:" + spoken));
        assertThat(metric("hearth_router_voice_barge_ins_total", "")).isGreaterThanOrEqualTo(1);
        assertThat(metric("hearth_router_voice_turns_total", "outcome=\"interrupted\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFinishedAnswerCutWhilePlayingIsStoredAsFarAsItWasHeard() {
        VoiceStart start = start().build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        stt.utter("long answer");
        // written and synthesized at once; 4 sentences of 300 ms play for 1.2 s
        call.awaitEvent(e -> e.hasAudio() && e.getAudio().getText().startsWith("Fourth"));
        long firstAudio = call.arrival(ChatEvent::hasAudio).nanos();
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - firstAudio >= 450_000_000L);
        stt.speechStarted(0);
        VoiceTurn cut = call.awaitEvent(ChatEvent::hasVoiceTurn).getVoiceTurn();
        assertThat(cut.getInterrupted()).isTrue();
        assertThat(cut.getAnswerText()).isEqualTo(FakeDownstream.LONG_ANSWER);
        assertThat(cut.getSpokenText()).startsWith("First sentence has five words.")
                .doesNotContain("Fourth");

        stt.complete(); // the user said nothing more: the call ends
        List<ChatEvent> events = call.awaitEnd();
        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
        StoredMessage answer = FakeDownstream.HISTORY.get(events.get(0).getStarted().getConversationId()).get(1);
        assertThat(answer.getMessage().getContent()).isEqualTo(cut.getSpokenText());
        assertThat(answer.getTruncated()).isTrue();
        assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
    }

    @Test
    void aFinalWithoutSpeechStartedDuringAnAnswerStillCutsIt() {
        String words = "story no vad " + UUID.randomUUID();
        FakeDownstream.GATES.put(words, new CompletableFuture<>());
        VoiceStart start = start().setContinuous(true).build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        stt.finalText(words); // an engine without VAD events: finals only
        call.awaitEvent(ChatEvent::hasAudio);
        stt.finalText(LAMP);

        VoiceTurn next = call.awaitEvent(e -> e.hasVoiceTurn() && e.getVoiceTurn().getTurn() == 1).getVoiceTurn();
        assertThat(next.getInterrupted()).isFalse();
        call.stop();
        List<ChatEvent> events = call.awaitEnd();
        assertThat(events).filteredOn(e -> e.hasSpeech() && e.getSpeech().getBargeIn()).hasSize(1);
        assertThat(events).filteredOn(ChatEvent::hasVoiceTurn).extracting(e -> e.getVoiceTurn().getInterrupted())
                .containsExactly(true, false);
        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
        // the cut turn was stored before the next one read its history
        assertThat(FakeDownstream.GENERATE_REQUESTS).filteredOn(r -> r.getRequestId().equals(start.getRequestId() + "/1"))
                .singleElement().satisfies(r -> assertThat(r.getMessagesList())
                        .extracting(m -> m.getRole() + ":" + m.getContent())
                        .containsSubsequence("ROLE_USER:" + words, "ROLE_USER:" + LAMP));
    }

    @Test
    void aContinuousCallAnswersEveryUtteranceUntilStop() {
        VoiceStart start = start().setContinuous(true).build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        stt.utter(LAMP);
        call.awaitEvent(e -> e.hasVoiceTurn() && e.getVoiceTurn().getTurn() == 0);
        stt.utter("what time is it");
        call.awaitEvent(e -> e.hasVoiceTurn() && e.getVoiceTurn().getTurn() == 1);
        assertThat(call.events()).noneMatch(e -> e.hasCompleted() || e.hasError());

        call.stop();
        List<ChatEvent> events = call.awaitEnd();
        assertThat(stt.endReceived).isTrue();
        ChatEvent completed = events.get(events.size() - 1);
        assertThat(completed.getCompleted().getUsage().getPromptTokens()).isEqualTo(14);
        assertThat(completed.getCompleted().getUsage().getCompletionTokens()).isEqualTo(6);
        assertThat(FakeDownstream.HISTORY.get(completed.getCompleted().getConversationId()))
                .extracting(m -> m.getMessage().getContent())
                .containsExactly(LAMP, LAMP_ANSWER, "what time is it", LAMP_ANSWER);
    }

    @Test
    void stopAnswersTheUtteranceInProgressThenEnds() {
        VoiceStart start = start().build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        stt.finalOnEnd = LAMP;
        stt.speechStarted(0);
        call.audio(200).stop();

        List<ChatEvent> events = call.awaitEnd();
        assertThat(stt.endReceived).isTrue();
        assertThat(stt.audioBytes).isEqualTo(6400);
        assertThat(events).filteredOn(ChatEvent::hasVoiceTurn).singleElement()
                .satisfies(e -> assertThat(e.getVoiceTurn().getAnswerText()).isEqualTo(LAMP_ANSWER));
        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
    }

    @Test
    void stopWithNothingSaidCompletesWithoutATurn() {
        VoiceStart start = start().build();
        VoiceClient call = VoiceClient.open(channel).start(start).audio(100).stop();
        List<ChatEvent> events = call.awaitEnd();
        assertThat(cases(events)).containsExactly(ChatEvent.EventCase.STARTED, ChatEvent.EventCase.COMPLETED);
        assertThat(stt(start.getRequestId()).endReceived).isTrue();
    }

    @Test
    void noiseStartsNoTurn() {
        VoiceStart start = start().setContinuous(true).build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        stt.speechStarted(0);
        stt.speechEnded(300);
        stt.finalText("");
        stt.utter(LAMP);
        call.awaitEvent(ChatEvent::hasVoiceTurn);
        call.stop();
        List<ChatEvent> events = call.awaitEnd();
        assertThat(events).filteredOn(e -> e.hasTranscript() && e.getTranscript().getFinal())
                .extracting(e -> e.getTranscript().getText()).containsExactly(LAMP);
        assertThat(events).filteredOn(ChatEvent::hasVoiceTurn).singleElement()
                .satisfies(e -> assertThat(e.getVoiceTurn().getTurn()).isZero());
    }

    @Test
    void theCallerHangingUpCancelsEverythingAndStoresWhatWasHeard() {
        String words = "story hang up " + UUID.randomUUID();
        FakeDownstream.GATES.put(words, new CompletableFuture<>());
        int generationsCancelled = FakeDownstream.GENERATE_CANCELLED.get();
        VoiceStart start = start().build();
        VoiceClient call = VoiceClient.open(channel).start(start);
        FakeSpeechToText.Session stt = stt(start.getRequestId());
        stt.utter(words);
        call.awaitEvent(ChatEvent::hasAudio);
        String conversation = call.events().get(0).getStarted().getConversationId();
        call.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.GENERATE_CANCELLED.get() > generationsCancelled);
        await().atMost(Duration.ofSeconds(5)).until(() -> tts(start.getRequestId() + "/0").cancelled);
        await().atMost(Duration.ofSeconds(5)).until(() -> stt.cancelled);
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HISTORY.containsKey(conversation)
                && FakeDownstream.HISTORY.get(conversation).size() == 2);
        StoredMessage answer = FakeDownstream.HISTORY.get(conversation).get(1);
        assertThat(answer.getMessage().getRole()).isEqualTo(Role.ROLE_ASSISTANT);
        assertThat(FakeDownstream.STORY_START).startsWith(answer.getMessage().getContent());
        assertThat(answer.getMessage().getContent()).isNotEqualTo(FakeDownstream.STORY_START);
        assertThat(answer.getTruncated()).isTrue();
        assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
    }

    @Test
    void badInputEndsOnlyItsOwnCallWithOneClearError() {
        // a good call runs through all of it
        VoiceStart good = start().setContinuous(true).build();
        VoiceClient goodCall = VoiceClient.open(channel).start(good);
        FakeSpeechToText.Session goodStt = stt(good.getRequestId());

        assertOneTerminalError(VoiceClient.open(channel).audio(10).awaitEnd(), "invalid_message");
        assertOneTerminalError(VoiceClient.open(channel).stop().awaitEnd(), "invalid_message");
        assertOneTerminalError(VoiceClient.open(channel).send(VoiceInput.getDefaultInstance()).awaitEnd(), "invalid_message");
        List<ChatEvent> rate = VoiceClient.open(channel).start(start().setSampleRate(4000).build()).awaitEnd();
        assertOneTerminalError(rate, "invalid_message");
        assertThat(rate).hasSize(1);
        assertThat(rate.get(0).getError().getMessage()).contains("sample_rate 4000");
        assertOneTerminalError(VoiceClient.open(channel).start(start().setSampleRate(96000).build()).awaitEnd(),
                "invalid_message");
        assertOneTerminalError(VoiceClient.open(channel).start(start().setOutputSampleRate(1).build()).awaitEnd(),
                "invalid_message");
        List<ChatEvent> format = VoiceClient.open(channel).start(start().setFormat("opus").build()).awaitEnd();
        assertOneTerminalError(format, "invalid_message");
        assertThat(format.get(0).getError().getMessage()).contains("opus");
        List<ChatEvent> profile = VoiceClient.open(channel).start(start().setProfile("nope").build()).awaitEnd();
        assertThat(profile).hasSize(1);
        assertOneTerminalError(profile, "invalid_message");
        assertThat(profile.get(0).getError().getMessage()).contains("nope");

        VoiceStart twice = start().build();
        VoiceClient second = VoiceClient.open(channel).start(twice);
        stt(twice.getRequestId());
        second.start(twice);
        assertOneTerminalError(second.awaitEnd(), "invalid_message");
        await().atMost(Duration.ofSeconds(5)).until(() -> stt(twice.getRequestId()).cancelled);

        VoiceStart odd = start().build();
        VoiceClient oddCall = VoiceClient.open(channel).start(odd);
        stt(odd.getRequestId());
        oddCall.send(VoiceInput.newBuilder().setAudio(com.google.protobuf.ByteString.copyFrom(new byte[3])).build());
        List<ChatEvent> oddEvents = oddCall.awaitEnd();
        assertOneTerminalError(oddEvents, "invalid_message");
        assertThat(oddEvents.get(oddEvents.size() - 1).getError().getMessage()).contains("16-bit");

        VoiceStart silent = start().build();
        VoiceClient silentCall = VoiceClient.open(channel).start(silent);
        stt(silent.getRequestId()).fail(Status.DEADLINE_EXCEEDED.withDescription("no_speech: no speech within 8000 ms of audio"));
        assertOneTerminalError(silentCall.awaitEnd(), "no_speech");

        VoiceStart voiceless = start().setTtsVoice("unknown").build();
        VoiceClient voicelessCall = VoiceClient.open(channel).start(voiceless);
        stt(voiceless.getRequestId()).utter(LAMP);
        assertOneTerminalError(voicelessCall.awaitEnd(), "invalid_message");

        goodStt.utter(LAMP);
        goodCall.awaitEvent(ChatEvent::hasVoiceTurn);
        goodCall.stop();
        List<ChatEvent> events = goodCall.awaitEnd();
        assertThat(events).noneMatch(ChatEvent::hasError);
        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
    }
}
