package dev.hearth.gateway.ws;

import dev.hearth.gateway.FakeRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.Arrays;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What the gateway adds to a spoken turn, with the fake router answering at once (so the figures
 * are the gateway's and the loopback's): from the client's {@code voice.stop} to the answer's
 * first binary audio frame at the client (stop up through the gateway to the router, answer
 * down), and the gateway's own {@code first_audio_to_client_ms}. Prints; asserts nothing. Not
 * run by surefire (not a *Test); run it with
 * {@code ./mvnw -o -pl gateway-service test -Dtest=VoiceLatencyBenchmark [-Dvoice.turns=500]}.
 */
@QuarkusTest
@QuarkusTestResource(FakeRouter.class)
@QuarkusTestResource(dev.hearth.infra.testing.RedisTestResource.class)
class VoiceLatencyBenchmark {

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "hearth.router.port")
    int routerPort;

    @Test
    void printLatencies() throws Exception {
        FakeRouter.ensureStarted(routerPort);
        int turns = Integer.getInteger("voice.turns", 300);
        int warmup = Math.max(20, turns / 5);
        long[] stopToFrame = new long[turns];
        long[] gatewayFirstAudio = new long[turns];
        long[] wholeTurn = new long[turns];
        byte[] frame = new byte[640]; // 20 ms at 16 kHz
        try (WsTestClient client = WsTestClient.open(base.getPort())) {
            for (int i = -warmup; i < turns; i++) {
                String id = "b" + i;
                long begin = System.nanoTime();
                client.send("voice.start", id, new JsonObject().put("sample_rate", 16000));
                String streamId = client.nextFor(id).getString("stream_id");
                for (int f = 0; f < 5; f++) {
                    client.sendBinary(frame);
                }
                long stop = System.nanoTime();
                client.send("voice.stop", id + "-stop", new JsonObject());
                client.nextFor(WsTestClient.BINARY);
                long firstFrame = System.nanoTime();
                JsonObject last;
                long firstAudioMs = -1;
                do {
                    last = client.nextMatching(m -> id.equals(m.getString("request_id")));
                    JsonObject chunk = last.getJsonObject("chunk");
                    if (chunk != null && "voice_turn".equals(chunk.getString("type"))) {
                        firstAudioMs = chunk.getJsonObject("data").getJsonObject("latency").getLong("first_audio_to_client_ms");
                    }
                } while ("chunk".equals(last.getString("status")) || "processing".equals(last.getString("status")));
                long end = System.nanoTime();
                drainFrames(client, streamId);
                if (i >= 0) {
                    stopToFrame[i] = firstFrame - stop;
                    gatewayFirstAudio[i] = firstAudioMs * 1_000_000;
                    wholeTurn[i] = end - begin;
                }
            }
        }
        System.out.printf("%nvoice turns through the gateway (fake router, loopback), %d turns after %d warm-up:%n", turns, warmup);
        print("voice.stop -> first audio frame at the client", stopToFrame);
        print("first_audio_to_client_ms (gateway, ms resolution)", gatewayFirstAudio);
        print("voice.start -> terminal event (whole turn)", wholeTurn);
    }

    private static void drainFrames(WsTestClient client, String streamId) throws InterruptedException {
        JsonObject extra;
        while ((extra = client.poll(0)) != null) {
            if (!WsTestClient.BINARY.equals(extra.getString("request_id"))) {
                throw new AssertionError("unexpected " + extra + " after stream " + streamId);
            }
        }
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-52s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", what,
                at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
