package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.launcher.Suite;
import dev.hearth.llm.testsupport.FakeOpenAiUpstream;
import dev.hearth.llm.testsupport.OpenAiChunks;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 8, "Numbers to record": from the end of speech to the first audio byte back at the client,
 * per stage, through the packaged suite with the real local engines (Silero VAD, pocketsphinx with
 * the home's grammar, flite) and a fake OpenAI-compatible model that answers at once. A client
 * speaks flite-synthesized commands in real time, 20 ms frames, over a WebSocket; the end of speech
 * is when the frame holding the last voiced sample went out. Prints a table (p50, p90, max) and
 * what Hearth adds from the final transcript to the first audio at the client beyond flite's own
 * time for the answer's first sentence (flite run alone). stt-service starts decoding during the
 * pause, so most of the decode hides in the endpointing silence ("final transcript" close to
 * "utterance end detected").
 *
 * <p>Not a test (surefire does not pick it up): {@code ./mvnw -B -ntp verify -pl deploy/e2e
 * -Dtest=VoiceTurnBenchmark -Dsurefire.failIfNoSpecifiedTests=false} after an install;
 * {@code -De2e.env.HEARTH_STT_VAD_MIN_SILENCE_MS=300} changes the silence that ends an utterance
 * (600 ms by default); {@code -Dvoice.bench.turns=20}.
 */
class VoiceTurnBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIRST_SENTENCE = "Okay.";
    private static final List<String> COMMANDS = List.of("turn on the reading lamp", "turn off the reading lamp",
            "switch on the reading lamp", "switch off the reading lamp", "dim the reading lamp to fifty percent");

    @Test
    void endOfSpeechToFirstAudio() throws Exception {
        assumeTrue(Speech.localEnginesInstalled(), "install flite libpocketsphinx3 pocketsphinx-en-us");
        int turns = Integer.getInteger("voice.bench.turns", 20);
        Suite suite = E2ESuite.get();
        try (FakeOpenAiUpstream model = FakeOpenAiUpstream.start()) {
            AdminApi.create(suite, "/admin/v1/devices", JSON.createObjectNode().put("id", "bench-reading-lamp")
                    .put("friendly_name", "Reading lamp").put("room", "study"));
            AdminApi.create(suite, "/admin/v1/providers", JSON.createObjectNode().put("name", "bench-voice-model")
                    .put("dialect", "openai").put("base_url", model.baseUrl())
                    .put("api_key_env", FakeOpenAiUpstream.API_KEY_ENV));
            ObjectNode profile = JSON.createObjectNode().put("name", "bench-voice");
            profile.putArray("targets").addObject().put("provider", "bench-voice-model").put("model", "instant");
            profile.putObject("voice").put("stt_engine", "pocketsphinx").put("tts_engine", "flite").put("tts_voice", "slt");
            AdminApi.create(suite, "/admin/v1/profiles", profile);
            model.on("instant", FakeOpenAiUpstream.Reply.sse(FakeOpenAiUpstream.Ending.END_RESPONSE, OpenAiChunks.role()
                    + OpenAiChunks.content(FIRST_SENTENCE) + OpenAiChunks.content(" The reading lamp is done.")
                    + OpenAiChunks.finish("stop") + OpenAiChunks.DONE));
            long fliteMs = fliteComputeMs(FIRST_SENTENCE);
            // Let the grammar pick up the device (refreshed every second in the e2e suite).
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);

            Map<String, List<Long>> stages = new LinkedHashMap<>();
            int misheard = 0;
            for (int turn = -2; turn < turns; turn++) {   // two warm-up turns
                String command = COMMANDS.get(Math.floorMod(turn, COMMANDS.size()));
                byte[] speech = Speech.say(command);
                Map<String, Long> one = oneTurn(suite, speech, command);
                if (one == null) {
                    misheard++;
                    continue;
                }
                if (turn >= 0) {
                    one.forEach((stage, ms) -> stages.computeIfAbsent(stage, s -> new ArrayList<>()).add(ms));
                }
            }
            print(stages, fliteMs, misheard, turns);
        }
    }

    /** One spoken turn; the stages in ms after the end of speech, or null when the command was misheard. */
    private static Map<String, Long> oneTurn(Suite suite, byte[] speech, String command) throws Exception {
        try (WsClient client = WsClient.connect(suite.gatewayWebSocketUrl(), suite.apiKey())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.received().isEmpty());   // welcome
            client.send(JSON.createObjectNode().put("action", "voice.start").put("request_id", "b")
                    .set("payload", JSON.createObjectNode().put("profile", "bench-voice")).toString());
            long firstAudioAt;
            try (Microphone microphone = new Microphone(client)) {
                microphone.say(Speech.concat(Speech.silence(300), speech, Speech.silence(2000)),
                        Speech.silence(300).length + Speech.speechEnd(speech) - 2);
                await().atMost(Duration.ofSeconds(60)).until(() -> terminal(client) != null);
                firstAudioAt = client.binaries().isEmpty() ? 0 : client.binaries().get(0).receivedAtNanos()
                        - microphone.markSentAt();
            }
            JsonNode turn = client.received().stream().filter(m -> "voice_turn".equals(m.path("chunk").path("type").asText()))
                    .map(m -> m.path("chunk").path("data")).findFirst().orElse(null);
            if (turn == null || !command.equals(turn.path("transcript").asText()) || firstAudioAt <= 0) {
                System.out.println("misheard or unanswered: '" + command + "' -> " + (turn == null ? terminal(client) : turn));
                return null;
            }
            JsonNode ledger = turn.path("latency");
            long endToFirstAudio = TimeUnit.NANOSECONDS.toMillis(firstAudioAt);
            // The ledger counts from the router's detection of the end of the utterance; that moment is
            // end-to-first-audio minus first_audio_to_client_ms after the end of speech.
            long detected = endToFirstAudio - ledger.path("first_audio_to_client_ms").asLong();
            Map<String, Long> stages = new LinkedHashMap<>();
            stages.put("utterance end detected (VAD silence + framing)", detected);
            stages.put("final transcript", detected + ledger.path("final_transcript_ms").asLong());
            stages.put("  of which stt decode (engine)", ledger.path("stt_compute_ms").asLong());
            stages.put("first LLM token", detected + ledger.path("first_token_ms").asLong());
            stages.put("first audio synthesized", detected + ledger.path("first_audio_synthesized_ms").asLong());
            stages.put("first audio sent (router)", detected + ledger.path("first_audio_sent_ms").asLong());
            stages.put("first audio frame at the client", endToFirstAudio);
            stages.put("after detection: first audio at the client", endToFirstAudio - detected);
            return stages;
        }
    }

    private static JsonNode terminal(WsClient client) {
        return client.received().stream().filter(m -> "b".equals(m.path("request_id").asText())
                && ("complete".equals(m.path("status").asText()) || "error".equals(m.path("status").asText())))
                .findFirst().orElse(null);
    }

    /** flite's own time for the sentence (median of 5), the TTS engine compute of the first audio. */
    private static long fliteComputeMs(String sentence) throws Exception {
        long[] runs = new long[5];
        for (int i = 0; i < runs.length; i++) {
            Path wav = Files.createTempFile("bench-flite", ".wav");
            long start = System.nanoTime();
            new ProcessBuilder("flite", "-voice", "slt", "-t", sentence, "-o", wav.toString()).start().waitFor();
            runs[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Files.deleteIfExists(wav);
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    private static void print(Map<String, List<Long>> stages, long fliteMs, int misheard, int turns) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Spoken turns: %d measured (%d misheard or unanswered), min silence %s ms%n",
                stages.values().stream().findFirst().map(List::size).orElse(0), misheard,
                System.getProperty("e2e.env.HEARTH_STT_VAD_MIN_SILENCE_MS", "600 (default)"));
        System.out.printf(Locale.ROOT, "%-50s %8s %8s %8s%n", "ms after the end of speech", "p50", "p90", "max");
        stages.forEach((stage, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-50s %8d %8d %8d%n", stage, sorted[sorted.length / 2],
                    sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.9))], sorted[sorted.length - 1]);
        });
        List<Long> transcript = stages.get("final transcript");
        List<Long> firstAudio = stages.get("first audio frame at the client");
        if (transcript != null) {
            long[] added = new long[transcript.size()];
            for (int i = 0; i < added.length; i++) {
                added[i] = firstAudio.get(i) - transcript.get(i) - fliteMs;
            }
            Arrays.sort(added);
            System.out.printf(Locale.ROOT, "flite alone on \"%s\": %d ms; Hearth's own time from the final transcript to "
                    + "the first audio frame at the client, minus flite (the model answers at once): p50 %d ms, max %d ms%n",
                    FIRST_SENTENCE, fliteMs, added[added.length / 2], added[added.length - 1]);
        }
    }
}
