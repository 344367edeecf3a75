package dev.hearth.tts.wyoming;

import dev.hearth.tts.config.TtsSettings;
import dev.hearth.tts.engine.Pcm;
import dev.hearth.tts.engine.TtsEngine;
import dev.hearth.tts.engine.Voice;
import dev.hearth.tts.service.Resampler;
import dev.hearth.tts.service.SentenceSplitter;
import dev.hearth.tts.service.SpeechSynthesizer;
import dev.hearth.wyoming.WyomingChannel;
import dev.hearth.wyoming.WyomingEvent;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One Wyoming client. Everything here runs on the connection's event loop; synthesis runs on
 * workers and comes back to it. Jobs (sentences, stream ends) run one at a time, in order.
 */
final class WyomingConnection {

    private static final int CHUNK_BYTES = 2048 * 2;

    private final SpeechSynthesizer synthesizer;
    private final Context context;
    private final WyomingChannel channel;
    private final Queue<Supplier<Uni<Void>>> jobs = new ArrayDeque<>();
    private Cancellable running;
    private boolean busy;
    private boolean closed;

    // streaming synthesis (synthesize-start … synthesize-stop)
    private boolean streaming;
    private SentenceSplitter splitter;
    private SpeechSynthesizer.Plan streamPlan;
    private long streamChars;
    private int audioRate;

    WyomingConnection(NetSocket socket, SpeechSynthesizer synthesizer, TtsSettings settings, Vertx vertx) {
        this.synthesizer = synthesizer;
        this.context = vertx.getOrCreateContext();
        this.channel = new WyomingChannel(socket, vertx, WyomingChannel.Limits.of(settings.wyomingServer()),
                this::onEvent, this::onClose);
    }

    void start() {
        channel.start();
    }

    private void onClose() {
        closed = true;
        jobs.clear();
        if (running != null) {
            running.cancel(); // no work goes on for a client that is gone
        }
    }

    private void onEvent(WyomingEvent event) {
        try {
            switch (event.type()) {
                case "describe" -> send(info());
                case "ping" -> send(WyomingEvent.of("pong", new JsonObject().put("text", event.data().getValue("text"))));
                case "synthesize" -> {
                    if (!streaming) { // clients that stream also send it, for older servers: ignore it then
                        synthesize(event.data());
                    }
                }
                case "synthesize-start" -> startStream(event.data());
                case "synthesize-chunk" -> streamChunk(event.data());
                case "synthesize-stop" -> stopStream();
                default -> send(WyomingEvent.error("unknown-event",
                        "unknown event type '" + event.type() + "'; this server handles describe, ping, synthesize, "
                                + "synthesize-start, synthesize-chunk, synthesize-stop"));
            }
        } catch (StatusRuntimeException bad) {
            send(WyomingEvent.error("bad-request", bad.getStatus().getDescription()));
        } catch (ClassCastException bad) {
            send(WyomingEvent.error("bad-request", "a field of '" + event.type() + "' has the wrong type"));
        }
    }

    private SpeechSynthesizer.Plan plan(JsonObject data) {
        JsonObject voice = data.getJsonObject("voice");
        String name = voice == null ? null : voice.getString("name");
        String language = voice == null ? null : voice.getString("language");
        return synthesizer.plan(null, name, language, 0);
    }

    private String text(JsonObject data) {
        String text = data.getString("text");
        if (text == null) {
            throw BadRequests.invalid("synthesize needs a 'text'");
        }
        if (text.length() > synthesizer.settings().maxTextChars()) {
            throw BadRequests.invalid("text exceeds the limit of " + synthesizer.settings().maxTextChars()
                    + " characters");
        }
        return text;
    }

    private void synthesize(JsonObject data) {
        String text = text(data);
        SpeechSynthesizer.Plan plan = plan(data);
        if (!SentenceSplitter.speakable(text)) {
            throw BadRequests.invalid("no text to synthesize");
        }
        SentenceSplitter split = new SentenceSplitter();
        var sentences = new java.util.ArrayList<>(split.push(text));
        sentences.addAll(split.flush());
        enqueue(() -> {
            audioRate = 0;
            return Uni.createFrom().voidItem();
        });
        for (String sentence : sentences) {
            if (SentenceSplitter.speakable(sentence)) {
                enqueue(() -> speak(plan, sentence));
            }
        }
        enqueue(() -> {
            finishAudio();
            return Uni.createFrom().voidItem();
        });
    }

    private void startStream(JsonObject data) {
        if (streaming) {
            throw BadRequests.invalid("synthesize-start while a streaming synthesis is open");
        }
        streamPlan = plan(data);
        streaming = true;
        splitter = new SentenceSplitter();
        streamChars = 0;
        enqueue(() -> {
            audioRate = 0;
            return Uni.createFrom().voidItem();
        });
    }

    private void streamChunk(JsonObject data) {
        if (!streaming) {
            throw BadRequests.invalid("synthesize-chunk without synthesize-start");
        }
        String text = data.getString("text", "");
        streamChars += text.length();
        if (streamChars > synthesizer.settings().maxTextChars()) {
            throw BadRequests.invalid("text exceeds the limit of " + synthesizer.settings().maxTextChars()
                    + " characters per synthesis");
        }
        SpeechSynthesizer.Plan plan = streamPlan;
        for (String sentence : splitter.push(text)) {
            if (SentenceSplitter.speakable(sentence)) {
                enqueue(() -> speak(plan, sentence));
            }
        }
    }

    private void stopStream() {
        if (!streaming) {
            throw BadRequests.invalid("synthesize-stop without synthesize-start");
        }
        SpeechSynthesizer.Plan plan = streamPlan;
        for (String sentence : splitter.flush()) {
            if (SentenceSplitter.speakable(sentence)) {
                enqueue(() -> speak(plan, sentence));
            }
        }
        enqueue(() -> {
            finishAudio();
            send(WyomingEvent.of("synthesize-stopped"));
            streaming = false;
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> speak(SpeechSynthesizer.Plan plan, String sentence) {
        return synthesizer.speak(plan, sentence)
                .emitOn(command -> context.runOnContext(v -> command.run()))
                .invoke(pcm -> sendAudio(pcm))
                .onFailure().invoke(failure -> send(WyomingEvent.error("synthesis-failed",
                        SpeechSynthesizer.toStatus(failure).getStatus().getDescription())))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private void sendAudio(Pcm pcm) {
        if (audioRate == 0) {
            audioRate = pcm.sampleRate();
            send(WyomingEvent.of("audio-start", format()));
        }
        byte[] data = Resampler.resample(pcm, audioRate).data();
        for (int at = 0; at < data.length; at += CHUNK_BYTES) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + CHUNK_BYTES));
            send(new WyomingEvent("audio-chunk", format(), chunk));
        }
    }

    private void finishAudio() {
        if (audioRate == 0) {
            audioRate = 22050;
            send(WyomingEvent.of("audio-start", format()));
        }
        send(WyomingEvent.of("audio-stop", new JsonObject().putNull("timestamp")));
    }

    private JsonObject format() {
        return new JsonObject().put("rate", audioRate).put("width", 2).put("channels", 1).putNull("timestamp");
    }

    private void enqueue(Supplier<Uni<Void>> job) {
        jobs.add(job);
        drain();
    }

    private void drain() {
        if (busy || closed || jobs.isEmpty()) {
            return;
        }
        busy = true;
        Supplier<Uni<Void>> job = jobs.poll();
        running = job.get().emitOn(command -> context.runOnContext(v -> command.run()))
                .subscribe().with(v -> next(), failure -> next());
    }

    private void next() {
        busy = false;
        running = null;
        drain();
    }

    private void send(WyomingEvent event) {
        channel.send(event);
    }

    /** The {@code info} answer: one TTS program with the voices of every engine available here. */
    private WyomingEvent info() {
        JsonArray voices = new JsonArray();
        Set<String> seen = new HashSet<>();
        for (TtsEngine engine : synthesizer.available()) {
            for (Voice voice : engine.voices()) {
                if (seen.add(voice.name())) {
                    voices.add(new JsonObject().put("name", voice.name())
                            .put("description", voice.description())
                            .put("attribution", new JsonObject().put("name", engine.name())
                                    .put("url", engine.attributionUrl()))
                            .put("installed", true)
                            .putNull("version")
                            .put("languages", new JsonArray(voice.languages()))
                            .putNull("speakers"));
                }
            }
        }
        JsonObject program = new JsonObject().put("name", "hearth-tts")
                .put("description", "Hearth text to speech")
                .put("attribution", WyomingEvent.hearthAttribution())
                .put("installed", true)
                .put("version", "0.1.0")
                .put("voices", voices)
                .put("supports_synthesize_streaming", true);
        return WyomingEvent.info(new JsonArray(), new JsonArray().add(program));
    }
}
