package dev.hearth.stt.wyoming;

import dev.hearth.audio.Resampler;
import dev.hearth.wyoming.WyomingTestClient;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Prints what the Wyoming ASR server itself costs, with a transcriber that answers at once
 * ({@link FakeTranscriptionPipeline}): the time from the client's {@code audio-stop} to its {@code transcript}
 * for a 2 s utterance sent as Home Assistant sends it (16 kHz, 1024-sample chunks) and as 44.1 kHz
 * stereo, each sent in one burst (faster than real time: with 44.1 kHz the conversion of the burst
 * is still running at {@code audio-stop}, an upper bound), and the conversion's real-time factor.
 * Not a test and not run by CI:
 * <pre>
 * ./mvnw -o -q -pl proto,stt-service package -DskipTests
 * ./mvnw -o -q -pl stt-service dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp stt-service/target/classes:stt-service/target/test-classes:$(cat stt-service/target/cp.txt) \
 *     dev.hearth.stt.wyoming.WyomingServerBenchmark [rounds]
 * </pre>
 */
public final class WyomingServerBenchmark {

    private WyomingServerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(WyomingServerSettings.class).build();
        WyomingServerSettings settings = config.getConfigMapping(WyomingServerSettings.class);

        conversion(rounds);

        Vertx vertx = Vertx.vertx();
        FakeTranscriptionPipeline transcriber = new FakeTranscriptionPipeline();
        NetServer server = vertx.createNetServer().connectHandler(socket -> new WyomingAsrConnection(socket, vertx,
                settings, transcriber, Set.of(), new JsonObject(), outcome -> { }, () -> { }).start())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (WyomingTestClient client = new WyomingTestClient(server.actualPort())) {
            latency(client, "16 kHz mono", WyomingAsrServerTest.tone(440, 16000, 2, 1, 2.0), 16000, 1, 2048, rounds);
            latency(client, "44.1 kHz stereo", WyomingAsrServerTest.tone(440, 44100, 2, 2, 2.0), 44100, 2, 4096 * 2,
                    rounds);
        }
        vertx.close();
        System.exit(0);
    }

    private static void latency(WyomingTestClient client, String what, byte[] audio, int rate, int channels, int piece,
            int rounds) throws Exception {
        long[] nanos = new long[rounds];
        for (int r = -20; r < rounds; r++) { // 20 rounds of warm-up
            FakeTranscriptionPipeline.CALLS.clear();
            client.send("transcribe", new JsonObject().put("language", "en"));
            JsonObject format = new JsonObject().put("rate", rate).put("width", 2).put("channels", channels);
            client.send("audio-start", format);
            for (int at = 0; at < audio.length; at += piece) {
                client.send("audio-chunk", format, Arrays.copyOfRange(audio, at, Math.min(audio.length, at + piece)),
                        false);
            }
            long start = System.nanoTime();
            client.send("audio-stop", new JsonObject());
            WyomingTestClient.Event event;
            while (!(event = client.read()).type().equals("transcript")) {
                if (event.type().equals("error")) {
                    throw new IllegalStateException(event.data().encode());
                }
            }
            long took = System.nanoTime() - start;
            client.read(); // transcript-stop
            if (r >= 0) {
                nanos[r] = took;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("audio-stop → transcript, %-16s median %6.2f ms  p95 %6.2f ms  (%d rounds, 2 s utterance sent in a burst)%n",
                what, nanos[rounds / 2] / 1e6, nanos[(int) (rounds * 0.95)] / 1e6, rounds);
    }

    /** Width/channel conversion and resampling of 10 s of 44.1 kHz stereo, as the server does it. */
    private static void conversion(int rounds) {
        byte[] audio = WyomingAsrServerTest.tone(440, 44100, 2, 2, 10.0);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < Math.max(5, rounds / 20); r++) {
            long start = System.nanoTime();
            InputAudio input = InputAudio.of(44100, 2, 2);
            short[] mono = input.push(audio);
            short[] out = Resampler.resample(mono, 44100, 16000);
            best = Math.min(best, System.nanoTime() - start);
            if (out.length != 160000) {
                throw new IllegalStateException("resampled to " + out.length);
            }
        }
        System.out.printf("44.1 kHz stereo → 16 kHz mono: %.1f ms per 10 s of audio (real-time factor %.4f)%n",
                best / 1e6, best / 1e9 / 10);
    }
}
