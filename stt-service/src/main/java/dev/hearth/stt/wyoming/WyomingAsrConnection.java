package dev.hearth.stt.wyoming;

import com.google.protobuf.ByteString;
import dev.hearth.audio.Resampler;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEnd;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.stt.engine.Utterance;
import dev.hearth.wyoming.WyomingChannel;
import dev.hearth.wyoming.WyomingEvent;
import io.grpc.Status;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Wyoming ASR client, run on its socket's event loop: {@code transcribe} sets language and
 * model, {@code audio-start}/{@code audio-chunk}s/{@code audio-stop} carry one utterance (the client
 * decides where it ends), and the answer is {@code transcript} {text, language} — with the streaming
 * events around it when enabled. Audio streams to the pipeline as it arrives, converted to 16 kHz
 * mono on the way (a streaming band-limited resampler for other rates).
 */
final class WyomingAsrConnection {

    private final WyomingServerSettings settings;
    private final TranscriptionPipeline pipeline;
    private final Set<String> engines;
    private final Consumer<String> outcomes;
    private final Runnable closed;
    private final JsonObject info;
    private final Context context;
    private final WyomingChannel channel;

    // what the last transcribe asked for
    private String language = "";
    private String model = "";
    // the utterance being received, null between audio-stop and the next audio
    private Utterance16k utterance;

    WyomingAsrConnection(NetSocket socket, Vertx vertx, WyomingServerSettings settings, TranscriptionPipeline pipeline,
            Set<String> engines, JsonObject info, Consumer<String> outcomes, Runnable closed) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.engines = engines;
        this.info = info;
        this.outcomes = outcomes;
        this.closed = closed;
        this.context = vertx.getOrCreateContext();
        this.channel = new WyomingChannel(socket, vertx, WyomingChannel.Limits.of(settings), this::onEvent,
                this::onClose);
    }

    void start() {
        channel.start();
    }

    private void onClose() {
        closed.run();
        if (utterance != null) {
            utterance.cancel(); // no transcription goes on for a client that is gone
            utterance = null;
        }
    }

    private void onEvent(WyomingEvent event) {
        try {
            JsonObject data = event.data();
            switch (event.type()) {
                case "describe" -> channel.send(WyomingEvent.of("info", info));
                case "ping" -> channel.send(WyomingEvent.of("pong", new JsonObject().put("text", data.getValue("text"))));
                case "transcribe" -> {
                    language = data.getString("language") == null ? "" : data.getString("language");
                    model = data.getString("name") == null ? "" : data.getString("name");
                }
                case "audio-start" -> begin(data);
                case "audio-chunk" -> chunk(data, event.payload());
                case "audio-stop" -> stop();
                default -> channel.send(WyomingEvent.error("unknown-event", "unknown event type '" + event.type()
                        + "'; this server handles describe, ping, transcribe, audio-start, audio-chunk, audio-stop"));
            }
        } catch (IllegalArgumentException | ClassCastException bad) {
            channel.send(WyomingEvent.error("bad-request", "'" + event.type() + "': " + bad.getMessage()));
        }
    }

    private void begin(JsonObject data) {
        if (utterance != null) {
            utterance.cancel(); // a new utterance replaces one never stopped
        }
        utterance = new Utterance16k(InputAudio.of(data.getInteger("rate"), data.getInteger("width"),
                data.getInteger("channels")));
    }

    private void chunk(JsonObject data, byte[] payload) {
        if (utterance == null) { // audio-chunk carries its format: an audio-start is not strictly needed
            begin(data);
        } else if (!utterance.input.sameFormat(data.getInteger("rate"), data.getInteger("width"),
                data.getInteger("channels"))) {
            throw new IllegalArgumentException("the format changed within the utterance (from audio-start's)");
        }
        if (payload != null && payload.length > 0) {
            utterance.push(payload);
        }
    }

    private void stop() {
        if (utterance == null) {
            throw new IllegalArgumentException("audio-stop without audio");
        }
        Utterance16k finished = utterance;
        utterance = null;
        finished.finish();
    }

    /** One utterance on its way to the pipeline as 16 kHz mono. */
    private final class Utterance16k {

        private final InputAudio input;
        private final UnicastProcessor<SttInput> audio = UnicastProcessor.create();
        private final Resampler.Stream resampler;
        private final long maxSamples;
        private long samples;
        private boolean refused;
        private String sent = ""; // text already given as transcript-chunks
        private final StringBuilder finals = new StringBuilder();
        private String finalLanguage = "";
        private final Cancellable subscription;

        Utterance16k(InputAudio input) {
            this.input = input;
            this.resampler = new Resampler.Stream(input.rate(), Utterance.SAMPLE_RATE);
            this.maxSamples = settings.maxAudio().toMillis() * input.rate() / 1000;
            String engine = engines.contains(model) ? model : "";
            audio.onNext(SttInput.newBuilder().setConfig(SttConfig.newBuilder().setSampleRate(Utterance.SAMPLE_RATE)
                    .setFormat("pcm_s16le").setLanguage(language).setEngine(engine).setVad(false)
                    .setRequestId("wyoming-" + Integer.toHexString(System.identityHashCode(this)))).build());
            if (settings.streamTranscripts()) {
                channel.send(WyomingEvent.of("transcript-start", language.isEmpty() ? new JsonObject()
                        : new JsonObject().put("language", language)));
            }
            subscription = pipeline.transcribe(audio)
                    .emitOn(command -> context.runOnContext(v -> command.run()))
                    .subscribe().with(this::onResult, this::onFailure, this::onDone);
        }

        void push(byte[] payload) {
            if (refused) {
                return;
            }
            short[] mono = input.push(payload);
            samples += mono.length;
            if (samples > maxSamples) {
                refused = true;
                cancel();
                outcomes.accept("refused");
                channel.send(WyomingEvent.error("audio-too-long", "an utterance may last at most "
                        + settings.maxAudio().toSeconds() + " s; this one is dropped"));
                return;
            }
            send(resampler.push(mono));
        }

        void finish() {
            if (refused) {
                return;
            }
            send(resampler.finish());
            audio.onNext(SttInput.newBuilder().setEnd(SttEnd.getDefaultInstance()).build());
            audio.onComplete();
        }

        void cancel() {
            subscription.cancel();
            audio.onComplete();
        }

        private void send(short[] mono) {
            if (mono.length == 0) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate(mono.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(mono);
            audio.onNext(SttInput.newBuilder().setAudio(ByteString.copyFrom(bytes.array())).build());
        }

        private void onResult(SttEvent event) {
            if (refused) {
                return;
            }
            if (event.hasPartial()) {
                chunkUpTo(event.getPartial().getText());
            } else if (event.hasFinal()) {
                if (!finals.isEmpty() && !event.getFinal().getText().isBlank()) {
                    finals.append(' ');
                }
                finals.append(event.getFinal().getText().strip());
                if (!event.getFinal().getLanguage().isEmpty()) {
                    finalLanguage = event.getFinal().getLanguage();
                }
            }
        }

        /** Streams the part of {@code text} not yet sent, when it extends what was sent. */
        private void chunkUpTo(String text) {
            if (settings.streamTranscripts() && text.startsWith(sent) && text.length() > sent.length()) {
                channel.send(WyomingEvent.of("transcript-chunk", new JsonObject().put("text",
                        text.substring(sent.length()))));
                sent = text;
            }
        }

        private void onDone() {
            if (refused) {
                return;
            }
            String text = finals.toString();
            chunkUpTo(text);
            String spoken = finalLanguage.isEmpty() ? language : finalLanguage;
            JsonObject transcript = new JsonObject().put("text", text);
            if (!spoken.isEmpty()) {
                transcript.put("language", spoken);
            }
            channel.send(WyomingEvent.of("transcript", transcript));
            if (settings.streamTranscripts()) {
                channel.send(WyomingEvent.of("transcript-stop"));
            }
            outcomes.accept("ok");
        }

        private void onFailure(Throwable failure) {
            if (refused) {
                return;
            }
            Status status = Status.fromThrowable(failure);
            String text = status.getDescription() == null ? String.valueOf(failure.getMessage())
                    : status.getDescription();
            channel.send(WyomingEvent.error("transcription-failed", status.getCode().name().toLowerCase(
                    java.util.Locale.ROOT) + ": " + text));
            if (settings.streamTranscripts()) {
                channel.send(WyomingEvent.of("transcript-stop"));
            }
            outcomes.accept("failed");
        }
    }
}
