package dev.hearth.stt.service;

import dev.hearth.stt.vad.VoiceDetector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one call's 16 kHz audio into utterances. With a {@link VoiceDetector}: speech starts after
 * {@code minSpeechMs} of voiced 32 ms frames (the utterance keeps {@code preRollMs} before that so
 * the first phoneme is not clipped), ends after {@code minSilenceMs} of silence, and is cut hard at
 * {@code maxUtteranceMs}; {@code noSpeechTimeoutMs} of audio without speech ends the call. Without
 * one, all audio is one utterance (still cut at {@code maxUtteranceMs}). Memory stays bounded: while
 * nobody speaks only the pre-roll is kept. Not thread-safe: one per call.
 */
public final class Endpointer {

    static final int RATE = 16_000;
    private static final int FRAME = VoiceDetector.FRAME_SAMPLES;
    /**
     * Silence kept after the last voiced frame: the engine sees the word's tail and a little quiet.
     * Short, because an utterance is settled (and may be decoded, {@link #settled()}) once its pause
     * has outlasted it: the sooner, the more of the decode hides in the rest of the minimum silence.
     */
    private static final int TAIL_SAMPLES = RATE / 10;
    /** Silero's recommended hysteresis: speech continues above threshold - 0.15. */
    private static final float HYSTERESIS = 0.15f;

    public sealed interface Event permits Started, Ended, NoSpeech {}

    /** Speech began at {@code atMs} of the call's audio. */
    public record Started(int atMs) implements Event {}

    /**
     * An utterance is complete: speech ended at {@code atMs}; {@code samples} span
     * {@code startMs}..{@code endMs} of the call's audio; {@code cut} when {@code maxUtteranceMs} ended it.
     */
    public record Ended(int atMs, short[] samples, int startMs, int endMs, boolean cut) implements Event {}

    /** {@code afterMs} of audio passed without speech. */
    public record NoSpeech(int afterMs) implements Event {}

    public record Settings(float threshold, int minSpeechMs, int minSilenceMs, int maxUtteranceMs, int preRollMs,
            int noSpeechTimeoutMs) {}

    private final VoiceDetector detector;
    private final Settings settings;
    private final int minSpeechFrames;
    private final int minSilenceFrames;
    private final int maxUtteranceSamples;
    private final int preRollSamples;
    private final long noSpeechSamples;

    private final short[] frame = new short[FRAME];
    private int frameFill;
    private long position; // samples consumed into frames (or buffered, without a detector)

    // Idle: the most recent frames, enough for the pre-roll and the voiced run that starts speech.
    private final ArrayDeque<short[]> recent = new ArrayDeque<>();
    private final int recentFrames;
    private int voicedRun;
    private long silentSince;

    // Speaking: the utterance so far.
    private boolean speaking;
    private short[] utterance = new short[0];
    private int utteranceLength;
    private long utteranceStart;
    private long lastVoicedEnd;
    private int silenceRun;

    private long settledOffered = -1;

    private long peakBuffered;
    private long framesAnalyzed;
    private boolean noSpeechReported;

    /** {@code detector} null: no voice detection, the whole input is one utterance. */
    public Endpointer(VoiceDetector detector, Settings settings) {
        this.detector = detector;
        this.settings = settings;
        this.minSpeechFrames = Math.max(1, ceilDiv(settings.minSpeechMs(), VoiceDetector.FRAME_MS));
        this.minSilenceFrames = Math.max(1, ceilDiv(settings.minSilenceMs(), VoiceDetector.FRAME_MS));
        this.maxUtteranceSamples = (int) ((long) settings.maxUtteranceMs() * RATE / 1000);
        this.preRollSamples = (int) ((long) settings.preRollMs() * RATE / 1000);
        this.noSpeechSamples = (long) settings.noSpeechTimeoutMs() * RATE / 1000;
        this.recentFrames = ceilDiv(preRollSamples, FRAME) + minSpeechFrames;
    }

    /** Feeds 16 kHz samples; returns what they completed, in order. */
    public List<Event> accept(short[] samples) {
        List<Event> events = new ArrayList<>(1);
        if (detector == null) {
            for (int at = 0; at < samples.length;) {
                int take = Math.min(samples.length - at, maxUtteranceSamples - utteranceLength);
                append(samples, at, take);
                at += take;
                position += take;
                if (utteranceLength >= maxUtteranceSamples) {
                    events.add(endWhole(true));
                }
            }
            return events;
        }
        for (int at = 0; at < samples.length;) {
            int take = Math.min(samples.length - at, FRAME - frameFill);
            System.arraycopy(samples, at, frame, frameFill, take);
            frameFill += take;
            at += take;
            if (frameFill == FRAME) {
                frameFill = 0;
                onFrame(frame.clone(), events);
            }
        }
        return events;
    }

    /** The input ended: the utterance in progress (and any partial frame) is complete. */
    public List<Event> finish() {
        List<Event> events = new ArrayList<>(1);
        if (detector == null) {
            if (utteranceLength > 0) {
                events.add(endWhole(false));
            }
            return events;
        }
        if (speaking) {
            append(frame, 0, frameFill);
            position += frameFill;
            frameFill = 0;
            events.add(end(position, false));
        }
        return events;
    }

    private void onFrame(short[] f, List<Event> events) {
        float p = detector.speechProbability(f);
        framesAnalyzed++;
        position += FRAME;
        if (!speaking) {
            recent.addLast(f);
            if (recent.size() > recentFrames) {
                recent.removeFirst();
            }
            voicedRun = p >= settings.threshold() ? voicedRun + 1 : 0;
            if (voicedRun >= minSpeechFrames) {
                long runStart = position - (long) voicedRun * FRAME;
                start(runStart);
                events.add(new Started(ms(runStart)));
                return;
            }
            trackPeak(recent.size() * (long) FRAME);
            if (position - silentSince >= noSpeechSamples && !noSpeechReported) {
                noSpeechReported = true;
                events.add(new NoSpeech(ms(position - silentSince)));
            }
            return;
        }
        append(f, 0, FRAME);
        if (p >= settings.threshold() - HYSTERESIS) {
            silenceRun = 0;
            lastVoicedEnd = position;
        } else {
            silenceRun++;
        }
        if (silenceRun >= minSilenceFrames) {
            events.add(end(Math.min(position, lastVoicedEnd + TAIL_SAMPLES), false));
        } else if (utteranceLength >= maxUtteranceSamples) {
            events.add(end(position, true));
        }
    }

    /**
     * The utterance in progress once its samples are settled, or null: speech has paused for longer
     * than the tail the engine gets, so if the pause lasts to the minimum silence the utterance ends
     * with exactly these samples (the same {@link Ended}). Given once per pause; a caller may start
     * decoding it before the end is certain.
     */
    public Ended settled() {
        if (!speaking || silenceRun == 0 || position < lastVoicedEnd + TAIL_SAMPLES || settledOffered == lastVoicedEnd) {
            return null;
        }
        settledOffered = lastVoicedEnd;
        int length = (int) Math.min(utteranceLength, lastVoicedEnd + TAIL_SAMPLES - utteranceStart);
        return new Ended(ms(lastVoicedEnd), Arrays.copyOf(utterance, length), ms(utteranceStart),
                ms(utteranceStart + length), false);
    }

    private void start(long runStart) {
        long from = Math.max(runStart - preRollSamples, position - (long) recent.size() * FRAME);
        speaking = true;
        utteranceStart = from;
        utteranceLength = 0;
        silenceRun = 0;
        lastVoicedEnd = position;
        long at = position - (long) recent.size() * FRAME;
        for (short[] f : recent) {
            if (at + FRAME > from) {
                int skip = (int) Math.max(0, from - at);
                append(f, skip, FRAME - skip);
            }
            at += FRAME;
        }
        recent.clear();
        voicedRun = 0;
    }

    private Ended end(long endPosition, boolean cut) {
        int length = (int) Math.min(utteranceLength, endPosition - utteranceStart);
        short[] samples = Arrays.copyOf(utterance, length);
        Ended ended = new Ended(ms(cut ? endPosition : Math.min(endPosition, lastVoicedEnd)), samples,
                ms(utteranceStart), ms(utteranceStart + length), cut);
        speaking = false;
        utterance = new short[0];
        utteranceLength = 0;
        silenceRun = 0;
        silentSince = position;
        noSpeechReported = false;
        return ended;
    }

    private Ended endWhole(boolean cut) {
        short[] samples = Arrays.copyOf(utterance, utteranceLength);
        long start = position - utteranceLength;
        Ended ended = new Ended(ms(position), samples, ms(start), ms(position), cut);
        utterance = new short[0];
        utteranceLength = 0;
        return ended;
    }

    private void append(short[] src, int from, int length) {
        int room = maxUtteranceSamples - utteranceLength;
        length = Math.min(length, Math.max(room, 0));
        if (length <= 0) {
            return;
        }
        if (utteranceLength + length > utterance.length) {
            int grown = Math.min(maxUtteranceSamples, Math.max(utteranceLength + length, Math.max(utterance.length * 2, RATE)));
            utterance = Arrays.copyOf(utterance, grown);
        }
        System.arraycopy(src, from, utterance, utteranceLength, length);
        utteranceLength += length;
        trackPeak(utterance.length);
    }

    private void trackPeak(long buffered) {
        peakBuffered = Math.max(peakBuffered, buffered);
    }

    /** Samples held now (pre-roll frames and the utterance buffer). */
    public long bufferedSamples() {
        return (long) recent.size() * FRAME + utterance.length + FRAME;
    }

    /** The most samples this call held at once (pre-roll, frame and utterance buffers). */
    public long peakBufferedSamples() {
        return peakBuffered;
    }

    public long framesAnalyzed() {
        return framesAnalyzed;
    }

    /** Audio consumed so far, ms. */
    public int positionMs() {
        return ms(position + frameFill);
    }

    static int ms(long samples) {
        return (int) (samples * 1000 / RATE);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
