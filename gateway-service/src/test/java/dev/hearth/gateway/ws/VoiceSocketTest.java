package dev.hearth.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.gateway.FakeRouter;
import dev.hearth.proto.v1.VoiceStart;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The voice path over real WebSockets, with the fake router's Router.Voice on real gRPC and the
 * stream history in the real Redis: voice.start, binary audio in, voice.stop, the answer's events
 * and its audio as binary frames, for every viewer and on resume; bad input of every kind.
 */
@QuarkusTest
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class VoiceSocketTest {

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @BeforeEach
    void startFakeRouter() {
        FakeRouter.ensureStarted(routerPort);
    }

    /** A parsed server → client audio frame. */
    record Frame(int version, String streamId, long seq, byte[] audio) {
        static Frame parse(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int version = buffer.get() & 0xFF;
            int idLength = buffer.get() & 0xFF;
            byte[] id = new byte[idLength];
            buffer.get(id);
            long seq = buffer.getInt() & 0xFFFF_FFFFL;
            byte[] audio = new byte[buffer.remaining()];
            buffer.get(audio);
            return new Frame(version, new String(id, StandardCharsets.UTF_8), seq, audio);
        }
    }

    private WsTestClient open() throws Exception {
        return WsTestClient.open(base.getPort());
    }

    private static JsonObject voiceStart(String profile) {
        JsonObject payload = new JsonObject().put("sample_rate", 16000).put("format", "pcm_s16le").put("language", "en");
        if (profile != null) {
            payload.put("profile", profile);
        }
        return payload;
    }

    private static byte[] pcm(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 13 + seed);
        }
        return bytes;
    }

    /**
     * The events of stream {@code requestId} up to its terminal event, with the binary frames of
     * stream {@code streamId} where they arrived (as {"request_id":"binary","binary":…}).
     */
    private static List<JsonObject> eventsWithFrames(WsTestClient client, String requestId, String streamId)
            throws InterruptedException {
        List<JsonObject> events = new ArrayList<>();
        while (true) {
            JsonObject message = client.nextMatching(m -> requestId.equals(m.getString("request_id"))
                    || (WsTestClient.BINARY.equals(m.getString("request_id"))
                            && Frame.parse(WsTestClient.binary(m)).streamId().equals(streamId)));
            events.add(message);
            String status = message.getString("status");
            if ("complete".equals(status) || "error".equals(status)) {
                return events;
            }
        }
    }

    private static String chunkType(JsonObject event) {
        return event.containsKey("binary") ? "<binary>" : event.getJsonObject("chunk") == null ? event.getString("status")
                : event.getJsonObject("chunk").getString("type");
    }

    /** Every audio chunk is followed at once by its binary frame (same stream, same seq); returns the frames. */
    private static List<Frame> assertAudioFramesFollowTheirEvents(List<JsonObject> events, String streamId) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonObject event = events.get(i);
            if (event.containsKey("binary")) {
                assertThat(i).as("a binary frame comes only after an audio event").isPositive();
                JsonObject audio = events.get(i - 1);
                assertThat(chunkType(audio)).isEqualTo("audio");
                Frame frame = Frame.parse(WsTestClient.binary(event));
                assertThat(frame.version()).isEqualTo(1);
                assertThat(frame.streamId()).isEqualTo(streamId);
                assertThat(frame.seq()).isEqualTo(audio.getLong("seq"));
                assertThat(frame.audio().length).isEqualTo(audio.getJsonObject("chunk").getJsonObject("data").getInteger("bytes"));
                frames.add(frame);
            } else if ("audio".equals(chunkType(event)) && event.getJsonObject("chunk").getJsonObject("data").getBoolean("replay", true)) {
                assertThat(i + 1).as("the frame of audio event %s", event).isLessThan(events.size());
                assertThat(events.get(i + 1).containsKey("binary")).as("the frame right after %s", event).isTrue();
            }
        }
        return frames;
    }

    /** The stream's JSON events only, checked gap-free from {@code firstSeq}. */
    private static List<JsonObject> jsonEvents(List<JsonObject> events, long firstSeq) {
        List<JsonObject> json = events.stream().filter(e -> !e.containsKey("binary")).toList();
        for (int i = 0; i < json.size(); i++) {
            assertThat(json.get(i).getLong("seq")).as("seq of event %d of %s", i, json).isEqualTo(firstSeq + i);
        }
        return json;
    }

    @Test
    void aVoiceTurnCarriesAudioInOrderAndAnswersWithTranscriptTextAndAudioFrames() throws Exception {
        try (WsTestClient client = open()) {
            client.send("voice.start", "v1", voiceStart(null).put("output_sample_rate", 22050).put("tts_voice", "slt")
                    .put("conversation_id", "c-7").put("continuous", false));
            // Audio right behind voice.start, an odd-sized frame among them: all reach the router, in order.
            List<byte[]> sent = List.of(pcm(640, 1), pcm(641, 2), pcm(1000, 3), pcm(2, 4));
            sent.forEach(client::sendBinary);
            JsonObject processing = client.nextFor("v1");
            assertThat(processing.getString("status")).isEqualTo("processing");
            assertThat(processing.getLong("seq")).isZero();
            String streamId = processing.getString("stream_id");
            await().atMost(Duration.ofSeconds(10)).until(() -> FakeRouter.VOICE_AUDIO.getOrDefault(streamId, List.of()).size() == 4);
            List<byte[]> received = FakeRouter.VOICE_AUDIO.get(streamId);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(received.get(i)).as("audio frame %d", i).isEqualTo(sent.get(i));
            }
            VoiceStart start = FakeRouter.VOICE_STARTS.stream().filter(s -> s.getStreamId().equals(streamId)).findFirst().orElseThrow();
            assertThat(start.getRequestId()).isEqualTo("v1");
            assertThat(start.getUserId()).isEqualTo("alice");
            assertThat(start.getSampleRate()).isEqualTo(16000);
            assertThat(start.getFormat()).isEqualTo("pcm_s16le");
            assertThat(start.getLanguage()).isEqualTo("en");
            assertThat(start.getConversationId()).isEqualTo("c-7");
            assertThat(start.getTtsVoice()).isEqualTo("slt");
            assertThat(start.getOutputSampleRate()).isEqualTo(22050);
            assertThat(start.getContinuous()).isFalse();

            client.send("voice.stop", "v1-stop", new JsonObject());
            List<JsonObject> events = eventsWithFrames(client, "v1", streamId);
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.VOICE_STOPPED.contains(streamId));

            List<Frame> frames = assertAudioFramesFollowTheirEvents(events, streamId);
            List<JsonObject> json = jsonEvents(events, 1);
            assertThat(json.stream().map(VoiceSocketTest::chunkType).toList()).containsExactly(
                    "speech", "speech", "transcript", "text", "text", "audio", "audio", "voice_turn", "complete");
            JsonObject speech = json.get(0).getJsonObject("chunk").getJsonObject("data");
            assertThat(speech.getBoolean("started")).isTrue();
            assertThat(speech.getBoolean("barge_in")).isFalse();
            assertThat(json.get(1).getJsonObject("chunk").getJsonObject("data").getBoolean("started")).isFalse();
            JsonObject transcript = json.get(2).getJsonObject("chunk").getJsonObject("data");
            assertThat(transcript.getString("text")).isEqualTo(FakeRouter.heard(2283));
            assertThat(transcript.getBoolean("final")).isTrue();
            assertThat(transcript.getInteger("turn")).isZero();
            assertThat(transcript.getString("language")).isEqualTo("en");
            assertThat(transcript.getJsonArray("words").getJsonObject(1))
                    .isEqualTo(new JsonObject().put("word", "2283").put("start_ms", 200).put("end_ms", 500));
            assertThat(json.get(3).getJsonObject("chunk").getString("data") + json.get(4).getJsonObject("chunk").getString("data"))
                    .isEqualTo("You said 2283 bytes.");
            JsonObject audio = json.get(5).getJsonObject("chunk").getJsonObject("data");
            assertThat(audio.getString("codec")).isEqualTo("pcm_s16le");
            assertThat(audio.getInteger("sample_rate")).isEqualTo(22050);
            assertThat(audio.getInteger("channels")).isEqualTo(1);
            assertThat(audio.getString("text")).isEqualTo("You said");
            assertThat(audio.getInteger("turn")).isZero();
            assertThat(audio.getBoolean("replay")).isTrue();
            assertThat(frames).hasSize(2);
            assertThat(frames.get(0).audio()).isEqualTo(FakeRouter.answerAudio(0, FakeRouter.ANSWER_AUDIO_SIZES[0]));
            assertThat(frames.get(1).audio()).isEqualTo(FakeRouter.answerAudio(1, FakeRouter.ANSWER_AUDIO_SIZES[1]));

            JsonObject turn = json.get(7).getJsonObject("chunk").getJsonObject("data");
            assertThat(turn.getString("transcript")).isEqualTo(FakeRouter.heard(2283));
            assertThat(turn.getString("answer_text")).isEqualTo("You said 2283 bytes.");
            assertThat(turn.getString("spoken_text")).isEqualTo("You said 2283 bytes.");
            assertThat(turn.getBoolean("interrupted")).isFalse();
            JsonObject latency = turn.getJsonObject("latency");
            assertThat(latency.getLong("utterance_end_epoch_ms")).isPositive();
            assertThat(latency.getInteger("final_transcript_ms")).isEqualTo(12);
            assertThat(latency.getInteger("first_audio_sent_ms")).isEqualTo(46);
            assertThat(latency.getInteger("stt_compute_ms")).isEqualTo(9);
            // Measured here: the first frame went out after the utterance ended, within the test's time.
            assertThat(latency.getLong("first_audio_to_client_ms")).isBetween(0L, 10_000L);

            JsonObject complete = json.get(8);
            assertThat(complete.getString("finish_reason")).isEqualTo("stop");
            assertThat(complete.getString("conversation_id")).isEqualTo("conv-voice");

            String metrics = RestAssured.given().baseUri(base.toString()).get("/q/metrics").asString();
            assertThat(metrics).contains("hearth_gateway_voice_first_audio_seconds_count",
                    "hearth_gateway_voice_audio_in_bytes_total", "hearth_gateway_voice_audio_out_bytes_total",
                    "hearth_gateway_voice_streams_opened_total");
            assertThat(metricValue(metrics, "hearth_gateway_voice_first_audio_seconds_count")).isPositive();
            assertThat(metricValue(metrics, "hearth_gateway_voice_audio_in_bytes_total")).isGreaterThanOrEqualTo(2283);

            // The turn is over: the connection may open the next one.
            client.send("voice.start", "v2", voiceStart("stt-down"));
            assertThat(client.nextFor("v2").getString("status")).isEqualTo("processing");
            client.streamOf("v2");
        }
    }

    private static double metricValue(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void everyViewerSeesBothSidesWithTheAudioAndAResumeReplaysTheAudioFrames() throws Exception {
        try (WsTestClient owner = open(); WsTestClient guest = WsTestClient.open(base.getPort(), FakeRouter.BOB);
                WsTestClient phone = WsTestClient.open(base.getPort(), FakeRouter.ALICE_PHONE)) {
            owner.send("voice.start", "shared-voice", voiceStart("held").put("share", true));
            JsonObject processing = owner.nextFor("shared-voice");
            String streamId = processing.getString("stream_id");
            guest.send("subscribe", "watch", new JsonObject().put("stream_id", streamId));
            assertThat(guest.nextFor("watch").getJsonObject("chunk").getString("type")).isEqualTo("subscribed");

            owner.sendBinary(pcm(3200, 9));
            owner.send("voice.stop", "stop", new JsonObject());
            // The held answer has sent its audio; voice_turn and completed wait for release.
            List<JsonObject> ownerSoFar = new ArrayList<>();
            while (ownerSoFar.stream().filter(e -> e.containsKey("binary")).count() < 2) {
                ownerSoFar.add(owner.nextMatching(m -> "shared-voice".equals(m.getString("request_id"))
                        || WsTestClient.BINARY.equals(m.getString("request_id"))));
            }
            long secondAudioSeq = ownerSoFar.stream().filter(e -> "audio".equals(chunkType(e)))
                    .mapToLong(e -> e.getLong("seq")).max().orElseThrow();

            // The owner's phone resumes mid-stream (this replica's memory): the missed audio event and its frame.
            phone.send("subscribe", "resume-live", new JsonObject().put("stream_id", streamId).put("after_seq", secondAudioSeq - 1));
            assertThat(phone.nextFor("resume-live").getJsonObject("chunk").getString("type")).isEqualTo("subscribed");
            JsonObject replayed = phone.nextFor("shared-voice");
            assertThat(replayed.getLong("seq")).isEqualTo(secondAudioSeq);
            Frame replayedFrame = Frame.parse(WsTestClient.binary(phone.nextFor(WsTestClient.BINARY)));
            assertThat(replayedFrame.seq()).isEqualTo(secondAudioSeq);
            assertThat(replayedFrame.audio()).isEqualTo(FakeRouter.answerAudio(1, FakeRouter.ANSWER_AUDIO_SIZES[1]));

            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.release(streamId));
            List<JsonObject> ownerEvents = new ArrayList<>(ownerSoFar);
            ownerEvents.addAll(eventsWithFrames(owner, "shared-voice", streamId));
            List<JsonObject> guestEvents = eventsWithFrames(guest, "shared-voice", streamId);
            List<JsonObject> phoneRest = eventsWithFrames(phone, "shared-voice", streamId);
            assertThat(chunkType(phoneRest.get(phoneRest.size() - 1))).isEqualTo("complete");

            // The guest (another user, shared stream) saw exactly what the owner saw after seq 0, audio included.
            assertAudioFramesFollowTheirEvents(ownerEvents, streamId);
            assertThat(guestEvents.get(0).getLong("seq")).as("the guest joined after processing was replayed").isZero();
            assertThat(guestEvents).isEqualTo(withProcessing(processing, ownerEvents));
            List<String> seen = jsonEvents(guestEvents, 0).stream().map(VoiceSocketTest::chunkType).toList();
            assertThat(seen).contains("transcript", "text", "audio", "voice_turn");

            // After the end (the stream is gone from this replica): a resume from Redis replays the frames too.
            try (WsTestClient late = WsTestClient.open(base.getPort(), FakeRouter.BOB)) {
                late.send("subscribe", "late", new JsonObject().put("stream_id", streamId).put("after_seq", 0));
                assertThat(late.nextFor("late").getJsonObject("chunk").getString("type")).isEqualTo("subscribed");
                List<JsonObject> fromHistory = eventsWithFrames(late, "shared-voice", streamId);
                assertThat(fromHistory).isEqualTo(ownerEvents);
            }
        }
    }

    /** The owner's events (from seq 1 on, as its own list holds) preceded by the processing event the guest got replayed. */
    private static List<JsonObject> withProcessing(JsonObject processing, List<JsonObject> ownerEvents) {
        List<JsonObject> all = new ArrayList<>();
        all.add(processing);
        all.addAll(ownerEvents);
        return all;
    }

    @Test
    void audioPastTheStreamsHistoryCapGoesToLiveViewersOnly() throws Exception {
        // %test.hearth.gateway.voice.history-audio-bytes=65536: two 24,000-byte events are kept, the others not.
        try (WsTestClient client = open()) {
            client.send("voice.start", "big", voiceStart("big-answer"));
            String streamId = client.nextFor("big").getString("stream_id");
            client.send("voice.stop", "stop", new JsonObject());
            List<JsonObject> live = eventsWithFrames(client, "big", streamId);
            assertThat(assertAudioFramesFollowTheirEvents(live, streamId)).hasSize(4);
            List<Boolean> replay = live.stream().filter(e -> "audio".equals(chunkType(e)))
                    .map(e -> e.getJsonObject("chunk").getJsonObject("data").getBoolean("replay")).toList();
            assertThat(replay).containsExactly(true, true, false, false);

            client.send("subscribe", "again", new JsonObject().put("stream_id", streamId));
            client.nextFor("again");
            List<JsonObject> replayed = eventsWithFrames(client, "big", streamId);
            List<Frame> frames = assertAudioFramesFollowTheirEvents(replayed, streamId);
            assertThat(frames).extracting(f -> f.audio().length).containsExactly(24_000, 24_000);
            assertThat(jsonEvents(replayed, 0)).hasSize(jsonEvents(live, 1).size() + 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sample_rate as a string   | {\"sample_rate\":\"16000\"}       | sample_rate",
        "sample_rate too low       | {\"sample_rate\":7999}             | sample_rate",
        "sample_rate too high      | {\"sample_rate\":48001}            | sample_rate",
        "sample_rate a fraction    | {\"sample_rate\":16000.5}          | sample_rate",
        "sample_rate huge          | {\"sample_rate\":1e12}             | sample_rate",
        "format other than pcm     | {\"format\":\"opus\"}              | format",
        "format not a string       | {\"format\":16}                    | format",
        "language not a string     | {\"language\":[\"en\"]}            | language",
        "profile not a string      | {\"profile\":7}                    | profile",
        "share not a boolean       | {\"share\":\"yes\"}                | share",
        "continuous not a boolean  | {\"continuous\":1}                 | continuous",
        "output rate out of range  | {\"output_sample_rate\":100}       | output_sample_rate",
        "tts_voice not a string    | {\"tts_voice\":{}}                 | tts_voice",
        "bad stream id             | {\"stream_id\":\"a b\"}            | stream_id",
    })
    void aBadVoiceStartIsRefusedNamingTheFieldAndNothingStarts(String what, String payload, String field) throws Exception {
        int startsBefore = FakeRouter.VOICE_STARTS.size();
        try (WsTestClient client = open()) {
            client.send("{\"action\":\"voice.start\",\"request_id\":\"bad\",\"payload\":" + payload + "}");
            JsonObject error = client.nextFor("bad");
            assertThat(error.getString("status")).isEqualTo("error");
            assertThat(error.getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            assertThat(error.getJsonObject("error").getString("message")).contains(field);
            assertThat(error.containsKey("stream_id")).isFalse();
            // Nothing was opened: audio is still refused, and a good voice.start works on the same connection.
            client.sendBinary(pcm(640, 0));
            assertThat(client.nextFor(null).getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            client.send("voice.start", "good", voiceStart("stt-down"));
            List<JsonObject> events = client.streamOf("good");
            assertThat(events.get(events.size() - 1).getJsonObject("error").getString("code")).isEqualTo("speech_unavailable");
        }
        assertThat(FakeRouter.VOICE_STARTS).hasSize(startsBefore + 1);
    }

    @Test
    void audioWithoutAVoiceTurnGetsOneErrorPerBurstAndTheConnectionGoesOn() throws Exception {
        try (WsTestClient client = open()) {
            long began = System.nanoTime();
            for (int i = 0; i < 25; i++) {
                client.sendBinary(pcm(640, i));
            }
            client.send("ping", "after-burst", new JsonObject());
            List<JsonObject> untilPong = new ArrayList<>();
            JsonObject message;
            do {
                message = client.next();
                untilPong.add(message);
            } while (!"after-burst".equals(message.getString("request_id")));
            long seconds = (System.nanoTime() - began) / 1_000_000_000L;
            // One error for the burst (one more per second, should the machine be that slow), then the pong.
            assertThat(untilPong.size() - 1).isBetween(1, 1 + (int) seconds);
            JsonObject error = untilPong.get(0).getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("invalid_message");
            assertThat(error.getString("message")).contains("no voice turn is open");
            assertThat(client.closeStatus).isNotDone();

            client.send("chat", "chat-after", new JsonObject().put("text", "Hello"));
            List<JsonObject> chat = client.streamOf("chat-after");
            assertThat(chat.get(chat.size() - 1).getString("finish_reason")).isEqualTo("stop");

            // voice.stop without a voice turn is refused too.
            client.send("voice.stop", "stop-nothing", new JsonObject());
            assertThat(client.nextFor("stop-nothing").getJsonObject("error").getString("code")).isEqualTo("invalid_message");
        }
    }

    @Test
    void aSecondVoiceStartIsRefusedCancelEndsTheTurnAndAThirdMayStartThen() throws Exception {
        try (WsTestClient client = open()) {
            client.send("voice.start", "first", voiceStart("hang"));
            String streamId = client.nextFor("first").getString("stream_id");
            client.send("voice.start", "second", voiceStart(null));
            JsonObject refused = client.nextFor("second");
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            assertThat(refused.getJsonObject("error").getString("message")).contains("already open", streamId);

            // A chat on the same connection is not affected by the open voice turn.
            client.send("chat", "side-chat", new JsonObject().put("text", "Hello"));
            List<JsonObject> chat = client.streamOf("side-chat");
            assertThat(chat.get(chat.size() - 1).getString("finish_reason")).isEqualTo("stop");

            client.sendBinary(pcm(320, 5));
            // (A cancel may overtake audio still in flight to the router: wait until it has the frame.)
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.VOICE_AUDIO.get(streamId).size() == 1);
            client.send("cancel", "cancel-first", new JsonObject().put("stream_id", streamId));
            List<JsonObject> rest = client.streamOf("first");
            assertThat(rest.get(rest.size() - 1).getString("finish_reason")).isEqualTo("cancelled");
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.VOICE_CANCELLED.contains(streamId));

            client.send("voice.start", "third", voiceStart("held"));
            String thirdId = client.nextFor("third").getString("stream_id");
            client.send("voice.stop", "stop-third", new JsonObject());
            // After voice.stop the turn takes no more audio, and a second stop is refused.
            client.sendBinary(pcm(320, 6));
            JsonObject late = client.nextFor(null);
            assertThat(late.getJsonObject("error").getString("code")).isEqualTo("invalid_message");
            assertThat(late.getJsonObject("error").getString("message")).contains("voice.stop was sent");
            assertThat(late.getJsonObject("error").getString("stream_id")).isEqualTo(thirdId);
            client.send("voice.stop", "stop-again", new JsonObject());
            assertThat(client.nextFor("stop-again").getJsonObject("error").getString("message")).contains("already sent");
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.release(thirdId));
            assertThat(FakeRouter.VOICE_AUDIO.get(thirdId)).isEmpty();
            List<JsonObject> third = client.streamOf("third");
            assertThat(third.get(third.size() - 1).getString("finish_reason")).isEqualTo("stop");
        }
    }

    @Test
    void closingTheConnectionCancelsTheVoiceCallAndItsViewersGetTheTerminalEvent() throws Exception {
        try (WsTestClient phone = WsTestClient.open(base.getPort(), FakeRouter.ALICE_PHONE)) {
            String streamId;
            try (WsTestClient speaker = open()) {
                speaker.send("voice.start", "spoken", voiceStart("hang"));
                streamId = speaker.nextFor("spoken").getString("stream_id");
                phone.send("subscribe", "watch", new JsonObject().put("stream_id", streamId));
                phone.nextFor("watch");
                speaker.sendBinary(pcm(640, 1));
                await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.VOICE_AUDIO.get(streamId).size() == 1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> FakeRouter.VOICE_CANCELLED.contains(streamId));
            List<JsonObject> watched = phone.streamOf("spoken");
            assertThat(watched.get(watched.size() - 1).getString("finish_reason")).isEqualTo("cancelled");
            assertThat(FakeRouter.VOICE_STOPPED).doesNotContain(streamId);
        }
    }

    @Test
    void audioBeyondTheRateBoundIsRefusedWithRetryAfterAndTheTurnGoesOn() throws Exception {
        try (WsTestClient client = open()) {
            // 8 kHz: 16,000 bytes/s; the bound is 4× that with 5 s of burst (80,000 bytes).
            client.send("voice.start", "fast", voiceStart(null).put("sample_rate", 8000));
            String streamId = client.nextFor("fast").getString("stream_id");
            int frames = 12;
            for (int i = 0; i < frames; i++) {
                client.sendBinary(pcm(60_000, i));
            }
            JsonObject refused = client.nextFor(null);
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("rate_limited");
            assertThat(refused.getJsonObject("error").getLong("retry_after_ms")).isPositive();
            assertThat(refused.getJsonObject("error").getString("stream_id")).isEqualTo(streamId);
            client.send("voice.stop", "stop-fast", new JsonObject());
            List<JsonObject> events = eventsWithFrames(client, "fast", streamId);
            assertThat(events.get(events.size() - 1).getString("finish_reason")).isEqualTo("stop");
            List<byte[]> received = FakeRouter.VOICE_AUDIO.get(streamId);
            assertThat(received.size()).isBetween(1, frames - 1);
            // The frames forwarded are whole and in order (the refused ones are simply missing).
            received.forEach(frame -> assertThat(frame).hasSize(60_000));
            assertThat(received.get(0)).isEqualTo(pcm(60_000, 0));
        }
    }

    @Test
    void anAudioFrameOverTheMessageSizeIsDroppedAndOneOverTheFrameLimitClosesWith1009() throws Exception {
        try (WsTestClient client = open()) {
            client.send("voice.start", "sized", voiceStart(null));
            String streamId = client.nextFor("sized").getString("stream_id");
            client.sendBinary(pcm(70_000, 1)); // over max-message-size (65536)
            JsonObject refused = client.nextFor(null);
            assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("message_too_large");
            assertThat(refused.getJsonObject("error").getString("stream_id")).isEqualTo(streamId);
            client.sendBinary(pcm(640, 2));
            client.send("voice.stop", "stop-sized", new JsonObject());
            List<JsonObject> events = eventsWithFrames(client, "sized", streamId);
            assertThat(events.get(events.size() - 1).getString("finish_reason")).isEqualTo("stop");
            assertThat(FakeRouter.VOICE_AUDIO.get(streamId)).hasSize(1);
            assertThat(FakeRouter.VOICE_AUDIO.get(streamId).get(0)).isEqualTo(pcm(640, 2));

            client.sendBinary(pcm(1_200_000, 3)); // over max-frame-size (1 MiB)
            assertThat(client.closeStatus.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo((short) 1009);
        }
    }

    @Test
    void routerErrorsEndTheVoiceStreamWithTheirCode() throws Exception {
        try (WsTestClient client = open()) {
            client.send("voice.start", "quiet", voiceStart("no-speech"));
            client.nextFor("quiet");
            client.sendBinary(pcm(640, 0));
            client.send("voice.stop", "stop-quiet", new JsonObject());
            List<JsonObject> quiet = client.streamOf("quiet");
            JsonObject error = quiet.get(quiet.size() - 1).getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("no_speech");
            assertThat(error.getString("message")).isNotBlank();

            client.send("voice.start", "down", voiceStart("fail"));
            List<JsonObject> down = client.streamOf("down");
            assertThat(down.get(0).getString("status")).isEqualTo("processing");
            assertThat(down.get(down.size() - 1).getJsonObject("error").getString("code")).isEqualTo("internal");

            // After both ended, the connection takes a voice turn again.
            client.send("voice.start", "ok", voiceStart(null));
            client.nextFor("ok");
            client.send("voice.stop", "stop-ok", new JsonObject());
            List<JsonObject> ok = client.streamOf("ok");
            assertThat(ok.get(ok.size() - 1).getString("finish_reason")).isEqualTo("stop");
        }
    }
}
