package dev.hearth.stt.service;

import dev.hearth.audio.Resampler;
import dev.hearth.proto.v1.SpeechBoundary;
import dev.hearth.proto.v1.SttConfig;
import dev.hearth.proto.v1.SttEvent;
import dev.hearth.proto.v1.SttInput;
import dev.hearth.proto.v1.Transcript;
import dev.hearth.proto.v1.WordTiming;
import dev.hearth.stt.config.SttSettings;
import dev.hearth.stt.engine.EngineTranscript;
import dev.hearth.stt.engine.SttEngine;
import dev.hearth.stt.engine.SttEngineException;
import dev.hearth.stt.engine.Utterance;
import dev.hearth.stt.vad.VoiceDetector;
import dev.hearth.stt.vad.VoiceDetectors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Transcribe call: validates the config, turns audio chunks into 16 kHz samples (odd bytes
 * carried to the next chunk, other rates resampled), cuts utterances with the {@link Endpointer}
 * and has the engine transcribe each. Inputs are handled one after another (the service
 * concatenates), so a call needs no locking.
 */
final class TranscriptionCall {

    /** What the call emits: an event, or the marker that the call is over ({@code end}, single utterance). */
    record Out(SttEvent event) {
        static final Out STOP = new Out(null);

        boolean stop() {
            return event == null;
        }
    }

    private static final int MIN_SILENCE_MS = 100;
    private static final int MAX_SILENCE_MS = 10_000;
    private static final int MIN_UTTERANCE_MS = 1_000;
    private static final int MAX_UTTERANCE_MS = 120_000;
    private static final int MIN_NO_SPEECH_MS = 1_000;

    private final SttSettings settings;
    private final EngineRegistry engines;
    private final VoiceDetectors detectors;
    private final SttMetrics metrics;

    private SttConfig config;
    private SttEngine engine;
    private VoiceDetector detector;
    private Endpointer endpointer;
    private Resampler.Stream resampler;
    private int carry = -1; // the odd byte of the previous chunk
    private int utterances;
    private boolean finished;
    private long vadNanos;
    private String outcome = "ok";
    private long buffered; // what this call counts in the service-wide buffered-samples gauge
    private Speculation speculation;

    /** A decode started before the end of its utterance was certain ({@link Endpointer#settled()}). */
    private record Speculation(Endpointer.Ended utterance, Uni<Decoded> result) {
        boolean matches(Endpointer.Ended ended) {
            return !ended.cut() && ended.startMs() == utterance.startMs() && ended.atMs() == utterance.atMs()
                    && java.util.Arrays.equals(ended.samples(), utterance.samples());
        }
    }

    private record Decoded(EngineTranscript transcript, long nanos) {
    }

    TranscriptionCall(SttSettings settings, EngineRegistry engines, VoiceDetectors detectors, SttMetrics metrics) {
        this.settings = settings;
        this.engines = engines;
        this.detectors = detectors;
        this.metrics = metrics;
    }

    Multi<Out> onInput(SttInput input) {
        try {
            switch (input.getInputCase()) {
                case CONFIG:
                    if (config != null) {
                        throw invalid("a second config (config comes once, first)");
                    }
                    configure(input.getConfig());
                    return Multi.createFrom().empty();
                case AUDIO:
                    requireConfig("audio");
                    return events(analyze(pcm(input.getAudio().toByteArray())));
                case END:
                    requireConfig("end");
                    return finish().onCompletion().switchTo(() -> Multi.createFrom().item(Out.STOP));
                default:
                    throw invalid("an input with neither config, audio nor end");
            }
        } catch (StatusRuntimeException e) {
            return Multi.createFrom().failure(e);
        }
    }

    /** The caller half-closed. */
    Multi<Out> onInputEnd() {
        if (config == null) {
            return Multi.createFrom().failure(invalid("the stream ended before a config (send config, audio, then end)"));
        }
        return finish();
    }

    private Multi<Out> finish() {
        if (finished) {
            return Multi.createFrom().empty();
        }
        finished = true;
        List<Endpointer.Event> events = new ArrayList<>();
        if (carry >= 0) {
            carry = -1; // half a sample at the very end carries nothing
        }
        short[] tail = resampler.finish();
        if (tail.length > 0) {
            events.addAll(analyze(tail));
        }
        events.addAll(endpointer.finish());
        return events(events);
    }

    private List<Endpointer.Event> analyze(short[] samples) {
        long start = System.nanoTime();
        List<Endpointer.Event> events = endpointer.accept(samples);
        vadNanos += System.nanoTime() - start;
        long now = endpointer.bufferedSamples();
        metrics.buffered(now - buffered);
        buffered = now;
        if (settings.vad().speculativeDecode()) {
            Endpointer.Ended settled = endpointer.settled();
            if (settled != null && settled.samples().length > 0) {
                speculate(settled);
            }
        }
        return events;
    }

    /** Starts decoding a settled utterance now; {@link #transcribe} takes the result if the utterance ends as it is. */
    private void speculate(Endpointer.Ended settled) {
        if (speculation != null) {
            metrics.speculation(false);
        }
        Uni<Decoded> result = decode(new Utterance(settled.samples(), config.getLanguage(), config.getRequestId()))
                .memoize().indefinitely();
        // Subscribed now so the engine starts; the outcome (item or failure) is kept for whoever asks.
        result.subscribe().with(ignored -> { }, ignored -> { });
        speculation = new Speculation(settled, result);
    }

    private Uni<Decoded> decode(Utterance utterance) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return engine.transcribe(utterance).map(t -> new Decoded(t, System.nanoTime() - start));
        });
    }

    private void requireConfig(String what) {
        if (config == null) {
            throw invalid(what + " before config (the first message must be config)");
        }
        if (finished) {
            throw invalid(what + " after end");
        }
    }

    private void configure(SttConfig c) {
        int rate = c.getSampleRate() == 0 ? Endpointer.RATE : c.getSampleRate();
        if (rate < settings.minSampleRate() || rate > settings.maxSampleRate()) {
            throw invalid("sample_rate " + rate + " is outside " + settings.minSampleRate() + ".." + settings.maxSampleRate() + " Hz");
        }
        String format = c.getFormat().isBlank() ? "pcm_s16le" : c.getFormat().trim().toLowerCase(Locale.ROOT);
        if (!format.equals("pcm_s16le")) {
            throw invalid("format '" + c.getFormat() + "' is not supported (pcm_s16le: signed 16-bit little-endian mono)");
        }
        SttSettings.Vad vad = settings.vad();
        int minSilence = orDefault(c.getMinSilenceMs(), vad.minSilenceMs(), "min_silence_ms", MIN_SILENCE_MS, MAX_SILENCE_MS);
        int maxUtterance = orDefault(c.getMaxUtteranceMs(), vad.maxUtteranceMs(), "max_utterance_ms", MIN_UTTERANCE_MS, MAX_UTTERANCE_MS);
        int noSpeech = orDefault(c.getNoSpeechTimeoutMs(), vad.noSpeechTimeoutMs(), "no_speech_timeout_ms", MIN_NO_SPEECH_MS,
                vad.maxNoSpeechTimeoutMs());
        engine = engines.select(c.getEngine());
        detector = c.getVad() ? detectors.create() : null;
        endpointer = new Endpointer(detector, new Endpointer.Settings(vad.threshold(), vad.minSpeechMs(), minSilence,
                maxUtterance, vad.preRollMs(), noSpeech));
        resampler = new Resampler.Stream(rate, Endpointer.RATE);
        config = c;
    }

    private static int orDefault(int requested, int fallback, String name, int min, int max) {
        if (requested == 0) {
            return fallback;
        }
        if (requested < min || requested > max) {
            throw invalid(name + " " + requested + " is outside " + min + ".." + max);
        }
        return requested;
    }

    /** Little-endian 16-bit samples at 16 kHz; an odd trailing byte waits for the next chunk. */
    private short[] pcm(byte[] bytes) {
        int offset = 0;
        int total = bytes.length + (carry >= 0 ? 1 : 0);
        short[] samples = new short[total / 2];
        int n = 0;
        if (carry >= 0 && bytes.length > 0) {
            samples[n++] = (short) ((carry & 0xff) | (bytes[0] << 8));
            offset = 1;
            carry = -1;
        }
        for (; offset + 1 < bytes.length; offset += 2) {
            samples[n++] = (short) ((bytes[offset] & 0xff) | (bytes[offset + 1] << 8));
        }
        if (offset < bytes.length) {
            carry = bytes[offset] & 0xff;
        }
        return resampler.push(n == samples.length ? samples : java.util.Arrays.copyOf(samples, n));
    }

    private Multi<Out> events(List<Endpointer.Event> events) {
        if (events.isEmpty()) {
            return Multi.createFrom().empty();
        }
        List<Multi<Out>> outs = new ArrayList<>(events.size());
        for (Endpointer.Event event : events) {
            if (event instanceof Endpointer.Started started) {
                outs.add(Multi.createFrom().item(new Out(SttEvent.newBuilder()
                        .setSpeechStarted(SpeechBoundary.newBuilder().setAtMs(started.atMs())).build())));
            } else if (event instanceof Endpointer.Ended ended) {
                if (detector != null) {
                    outs.add(Multi.createFrom().item(new Out(SttEvent.newBuilder()
                            .setSpeechEnded(SpeechBoundary.newBuilder().setAtMs(ended.atMs())).build())));
                }
                if (ended.samples().length > 0) {
                    outs.add(transcribe(ended).toMulti());
                    if (config.getSingleUtterance()) {
                        outs.add(Multi.createFrom().item(Out.STOP));
                        break;
                    }
                }
            } else if (event instanceof Endpointer.NoSpeech none) {
                outcome = "no_speech";
                outs.add(Multi.createFrom().failure(Status.DEADLINE_EXCEEDED
                        .withDescription("no_speech: no speech in " + none.afterMs() + " ms of audio").asRuntimeException()));
                break;
            }
        }
        return Multi.createBy().concatenating().streams(outs);
    }

    private Uni<Out> transcribe(Endpointer.Ended ended) {
        int index = utterances++;
        Utterance utterance = new Utterance(ended.samples(), config.getLanguage(), config.getRequestId());
        Uni<Decoded> decoded;
        if (speculation != null && speculation.matches(ended)) {
            decoded = speculation.result();
            metrics.speculation(true);
        } else {
            if (speculation != null) {
                metrics.speculation(false);
            }
            decoded = decode(utterance);
        }
        speculation = null;
        return decoded
                .ifNoItem().after(settings.decodeTimeout())
                .failWith(() -> new SttEngineException("timeout", engine.name() + " took longer than " + settings.decodeTimeout()))
                .map(d -> {
                    metrics.utterance(engine.name(), d.transcript().command(), d.nanos(), utterance.durationMs());
                    return new Out(SttEvent.newBuilder().setFinal(transcript(d.transcript(), ended, index, d.nanos())).build());
                })
                .onFailure().transform(this::status);
    }

    private Transcript transcript(EngineTranscript t, Endpointer.Ended ended, int index, long nanos) {
        Transcript.Builder b = Transcript.newBuilder().setText(t.text()).setLanguage(t.language() == null ? "" : t.language())
                .setEngine(engine.name()).setUtterance(index).setStartMs(ended.startMs()).setEndMs(ended.endMs())
                .setConfidence(t.confidence()).setCommand(t.command()).setComputeMs((int) (nanos / 1_000_000));
        for (EngineTranscript.Word w : t.words()) {
            // Word timings in the call's audio, like start_ms and end_ms.
            b.addWords(WordTiming.newBuilder().setWord(w.word()).setStartMs(ended.startMs() + w.startMs())
                    .setEndMs(ended.startMs() + w.endMs()).setConfidence(w.confidence()));
        }
        return b.build();
    }

    private Throwable status(Throwable failure) {
        if (failure instanceof StatusRuntimeException) {
            return failure;
        }
        if (failure instanceof SttEngineException e) {
            outcome = e.code();
            Status status = switch (e.code()) {
                case "engine_unavailable" -> Status.UNAVAILABLE;
                case "timeout" -> Status.DEADLINE_EXCEEDED;
                default -> Status.INTERNAL;
            };
            return status.withDescription(e.code() + ": " + e.getMessage()).withCause(e).asRuntimeException();
        }
        outcome = "engine_error";
        return Status.INTERNAL.withDescription("engine_error: " + failure.getMessage()).withCause(failure).asRuntimeException();
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription("invalid_message: " + message).asRuntimeException();
    }

    /** The call is over (completed, failed or cancelled): frees the detector, records the call. */
    void close(Throwable failure, boolean cancelled) {
        if (speculation != null) {
            metrics.speculation(false);
            speculation = null;
        }
        metrics.buffered(-buffered);
        buffered = 0;
        if (detector != null) {
            detector.close();
            metrics.vad(detector.name(), endpointer.framesAnalyzed(), vadNanos);
        }
        if (failure != null && "ok".equals(outcome)) {
            Status status = Status.fromThrowable(failure);
            outcome = status.getCode() == Status.Code.INVALID_ARGUMENT ? "invalid" : status.getCode().name().toLowerCase(Locale.ROOT);
        } else if (cancelled) {
            outcome = "cancelled";
        }
        metrics.call(outcome, endpointer == null ? 0 : endpointer.peakBufferedSamples());
    }
}
