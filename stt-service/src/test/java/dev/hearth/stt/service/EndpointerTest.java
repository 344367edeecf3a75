package dev.hearth.stt.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.stt.vad.VoiceDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpointing state machine with a scripted detector: a frame is voiced when its samples are non-zero. */
class EndpointerTest {

    static final int FRAME = VoiceDetector.FRAME_SAMPLES; // 32 ms

    /** Voiced when the frame carries any sound. */
    static final class Scripted implements VoiceDetector {
        @Override
        public float speechProbability(short[] frame) {
            for (short s : frame) {
                if (s != 0) {
                    return 0.9f;
                }
            }
            return 0.05f;
        }

        @Override
        public String name() {
            return "scripted";
        }
    }

    static Endpointer endpointer(int maxUtteranceMs, int noSpeechMs) {
        return new Endpointer(new Scripted(), new Endpointer.Settings(0.5f, 96, 320, maxUtteranceMs, 300, noSpeechMs));
    }

    /** {@code frames} frames of silence (0) or sound (1). */
    static short[] frames(int frames, boolean sound) {
        short[] s = new short[frames * FRAME];
        if (sound) {
            java.util.Arrays.fill(s, (short) 1000);
        }
        return s;
    }

    static List<Endpointer.Event> feed(Endpointer e, short[]... parts) {
        List<Endpointer.Event> events = new ArrayList<>();
        for (short[] p : parts) {
            // In odd-sized pieces, as audio arrives.
            for (int at = 0; at < p.length; at += 700) {
                events.addAll(e.accept(java.util.Arrays.copyOfRange(p, at, Math.min(p.length, at + 700))));
            }
        }
        return events;
    }

    @Test
    void startsAtTheFirstVoicedFrameKeepsThePreRollAndEndsAfterTheSilence() {
        Endpointer e = endpointer(30_000, 60_000);
        // 50 silent frames (1600 ms), 40 voiced (1280 ms), 30 silent (960 ms).
        List<Endpointer.Event> events = feed(e, frames(50, false), frames(40, true), frames(30, false));

        assertThat(events).hasSize(2);
        Endpointer.Started started = (Endpointer.Started) events.get(0);
        Endpointer.Ended ended = (Endpointer.Ended) events.get(1);
        assertThat(started.atMs()).isEqualTo(1600);
        assertThat(ended.atMs()).isEqualTo(2880);
        assertThat(ended.startMs()).as("300 ms pre-roll").isEqualTo(1300);
        assertThat(ended.endMs()).as("100 ms of the silence after the speech").isEqualTo(2980);
        assertThat(ended.samples()).hasSize((2980 - 1300) * 16);
        assertThat(ended.cut()).isFalse();
        assertThat(e.finish()).isEmpty();
    }

    @Test
    void aShortClickDoesNotStartSpeechAndAShortPauseDoesNotEndIt() {
        Endpointer e = endpointer(30_000, 60_000);
        List<Endpointer.Event> events = feed(e, frames(10, false), frames(2, true), frames(10, false), // 64 ms click
                frames(20, true), frames(5, false), frames(20, true), frames(20, false)); // 160 ms pause inside speech
        assertThat(events).extracting(ev -> ev.getClass().getSimpleName()).containsExactly("Started", "Ended");
        assertThat(((Endpointer.Started) events.get(0)).atMs()).isEqualTo(22 * 32);
    }

    @Test
    void speechLongerThanTheMaximumIsCutAndGoesOn() {
        Endpointer e = endpointer(2_000, 60_000);
        List<Endpointer.Event> events = feed(e, frames(5, false), frames(100, true), frames(20, false));
        List<Endpointer.Ended> ended = events.stream().filter(Endpointer.Ended.class::isInstance).map(Endpointer.Ended.class::cast).toList();
        assertThat(ended).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ended.get(0).cut()).isTrue();
        assertThat(ended.get(0).samples().length).isLessThanOrEqualTo(2_000 * 16);
        assertThat(ended.get(ended.size() - 1).cut()).isFalse();
    }

    @Test
    void theEndOfInputCompletesTheUtteranceInProgress() {
        Endpointer e = endpointer(30_000, 60_000);
        List<Endpointer.Event> events = feed(e, frames(5, false), frames(30, true), new short[100]);
        assertThat(events).hasSize(1);
        List<Endpointer.Event> last = e.finish();
        assertThat(last).hasSize(1);
        assertThat(((Endpointer.Ended) last.get(0)).endMs()).isEqualTo((35 * FRAME + 100) / 16);
    }

    @Test
    void silenceReportsNoSpeechOnceAndHoldsOnlyThePreRoll() {
        Endpointer e = endpointer(30_000, 5_000);
        List<Endpointer.Event> events = feed(e, frames(500, false)); // 16 s
        assertThat(events).hasSize(1);
        assertThat(((Endpointer.NoSpeech) events.get(0)).afterMs()).isBetween(5_000, 5_032);
        assertThat(e.peakBufferedSamples()).isLessThanOrEqualTo(16 * FRAME);
        assertThat(e.framesAnalyzed()).isEqualTo(500);
    }

    @Test
    void withoutADetectorEverythingIsOneUtterance() {
        Endpointer e = new Endpointer(null, new Endpointer.Settings(0.5f, 96, 320, 3_000, 300, 1_000));
        assertThat(feed(e, frames(20, false), frames(20, true), frames(20, false))).isEmpty();
        List<Endpointer.Event> last = e.finish();
        assertThat(last).hasSize(1);
        assertThat(((Endpointer.Ended) last.get(0)).samples()).hasSize(60 * FRAME);
        assertThat(((Endpointer.Ended) last.get(0)).startMs()).isZero();
    }

    @Test
    void anUtteranceIsSettledOncePerPauseLongerThanTheTailAndEndsWithTheSameSamples() {
        Endpointer e = endpointer(30_000, 60_000);
        feed(e, frames(20, false), frames(30, true), frames(3, false));
        assertThat(e.settled()).as("96 ms of pause: the tail is not complete yet").isNull();
        feed(e, frames(5, false)); // 256 ms of pause: past the 100 ms tail, short of the 320 ms minimum silence
        Endpointer.Ended settled = e.settled();
        assertThat(settled).isNotNull();
        assertThat(e.settled()).as("once per pause").isNull();

        // Speech goes on: that settlement is stale, and the utterance ends later with more audio.
        List<Endpointer.Event> events = feed(e, frames(10, true), frames(7, false));
        assertThat(events).isEmpty();
        Endpointer.Ended second = e.settled();
        assertThat(second).isNotNull();
        assertThat(second.samples().length).isGreaterThan(settled.samples().length);
        Endpointer.Ended ended = (Endpointer.Ended) feed(e, frames(5, false)).get(0);
        assertThat(ended.samples()).isEqualTo(second.samples());
        assertThat(ended.startMs()).isEqualTo(second.startMs());
        assertThat(ended.endMs()).isEqualTo(second.endMs());
        assertThat(ended.atMs()).isEqualTo(second.atMs());
        assertThat(e.settled()).as("nothing in progress").isNull();
    }
}
