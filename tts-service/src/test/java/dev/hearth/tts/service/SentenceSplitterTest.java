package dev.hearth.tts.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private static List<String> split(String... pieces) {
        SentenceSplitter splitter = new SentenceSplitter();
        List<String> out = new ArrayList<>();
        for (String piece : pieces) {
            out.addAll(splitter.push(piece));
        }
        out.addAll(splitter.flush());
        return out;
    }

    @Test
    void splitsPlainSentencesAsTheyComplete() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertThat(splitter.push("Hello there")).isEmpty();
        assertThat(splitter.push(". How are")).containsExactly("Hello there.");
        assertThat(splitter.push(" you? I am")).containsExactly("How are you?");
        assertThat(splitter.flush()).containsExactly("I am");
    }

    @Test
    void keepsAbbreviationsInitialsAndDecimalsInside() {
        assertThat(split("Dr. Smith paid $3.5 million to Mr. J. R. Jones. Then he left."))
                .containsExactly("Dr. Smith paid $3.5 million to Mr. J. R. Jones.", "Then he left.");
        assertThat(split("It is 3.", "5 degrees. Cold.")).containsExactly("It is 3.5 degrees.", "Cold.");
        assertThat(split("Use e.g. a fork. Done.")).containsExactly("Use e.g. a fork.", "Done.");
    }

    @Test
    void handlesEllipsesInterrobangsAndQuotes() {
        assertThat(split("Wait... what happened? Really?! \"Yes.\" She left… Then rain."))
                .containsExactly("Wait... what happened?", "Really?!", "\"Yes.\"", "She left…", "Then rain.");
    }

    @Test
    void splitsOnNewlinesAndCjkFullStops() {
        assertThat(split("First line\nSecond line\n\nThird")).containsExactly("First line", "Second line", "Third");
        assertThat(split("今日は晴れです。明日は雨でしょう！本当？はい")).containsExactly("今日は晴れです。", "明日は雨でしょう！",
                "本当？", "はい");
    }

    @Test
    void flushSynthesizesWhatIsBufferedAndSpeakableIgnoresPunctuation() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertThat(splitter.push("no end yet")).isEmpty();
        assertThat(splitter.hasPending()).isTrue();
        assertThat(splitter.flush()).containsExactly("no end yet");
        assertThat(splitter.flush()).isEmpty();
        assertThat(SentenceSplitter.speakable("...!")).isFalse();
        assertThat(SentenceSplitter.speakable("42.")).isTrue();
    }
}
