package dev.hearth.tts.fake;

import dev.hearth.tts.engine.Audio;
import dev.hearth.tts.engine.Pcm;
import dev.hearth.tts.engine.Wav;
import dev.hearth.wyoming.WyomingEvent;
import dev.hearth.wyoming.WyomingFrameParser;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake OpenAI-compatible {@code /v1/audio/speech} server (plain Vert.x HTTP) and a fake Wyoming
 * TTS server (plain Vert.x TCP), both on random ports, speaking the real formats. They answer a
 * 440 Hz tone 0.05 s long per character; text containing "boom" makes them fail.
 */
public class FakeSpeechServers implements QuarkusTestResourceLifecycleManager {

    public static final List<JsonObject> HTTP_REQUESTS = new CopyOnWriteArrayList<>();
    public static final List<String> HTTP_AUTH = new CopyOnWriteArrayList<>();
    public static final List<JsonObject> WYOMING_REQUESTS = new CopyOnWriteArrayList<>();
    public static final String KEY_ENV = "HOME"; // any variable the test JVM has: the key is read from the environment

    private Vertx vertx;

    public static Pcm tone(String text, int rate) {
        short[] s = new short[(int) (rate * 0.05 * Math.max(1, text.length()))];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        return new Pcm(Audio.bytes(s), rate);
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            HttpServer http = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                JsonObject json = body.toJsonObject();
                HTTP_REQUESTS.add(json);
                HTTP_AUTH.add(String.valueOf(request.getHeader("Authorization")));
                var response = request.response();
                if (!"/v1/audio/speech".equals(request.path()) || !"POST".equals(request.method().name())) {
                    response.setStatusCode(404).end("{\"error\":{\"message\":\"no such route\"}}");
                } else if (json.getString("input", "").contains("boom")) {
                    response.setStatusCode(500).end("{\"error\":{\"message\":\"the model crashed\"}}");
                } else if ("nobody".equals(json.getString("voice"))) {
                    response.setStatusCode(400).end("{\"error\":{\"message\":\"voice nobody not found\"}}");
                } else if ("pcm".equals(json.getString("response_format"))) {
                    response.putHeader("Content-Type", "audio/pcm").end(io.vertx.core.buffer.Buffer.buffer(
                            tone(json.getString("input"), 24000).data()));
                } else {
                    response.putHeader("Content-Type", "audio/wav").end(io.vertx.core.buffer.Buffer.buffer(
                            Wav.write(tone(json.getString("input"), 24000))));
                }
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            NetServer wyoming = vertx.createNetServer().connectHandler(socket -> socket.handler(new WyomingFrameParser(
                    65536, 1 << 20, event -> {
                        if (!"synthesize".equals(event.type())) {
                            return;
                        }
                        WYOMING_REQUESTS.add(event.data());
                        String text = event.data().getString("text");
                        if (text.contains("boom")) {
                            socket.write(WyomingEvent.error("failed", "piper crashed").encode());
                            return;
                        }
                        Pcm pcm = tone(text, 22050);
                        JsonObject format = new JsonObject().put("rate", 22050).put("width", 2).put("channels", 1);
                        socket.write(WyomingEvent.of("audio-start", format).encode());
                        byte[] data = pcm.data();
                        for (int at = 0; at < data.length; at += 4096) {
                            socket.write(new WyomingEvent("audio-chunk", format,
                                    java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + 4096))).encode());
                        }
                        socket.write(WyomingEvent.of("audio-stop").encode());
                    }, problem -> socket.close()))).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            return Map.of("hearth.tts.openai.url", "http://127.0.0.1:" + http.actualPort() + "/v1",
                    "hearth.tts.openai.api-key-env", KEY_ENV,
                    "hearth.tts.openai.voices", "alloy,nova,nobody",
                    "hearth.tts.wyoming.address", "127.0.0.1:" + wyoming.actualPort(),
                    "hearth.tts.wyoming.voices", "en_US-lessac-medium,de_DE-thorsten-low");
        } catch (Exception e) {
            throw new IllegalStateException("fake speech servers did not start", e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
