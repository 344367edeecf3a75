package dev.hearth.router.voice;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a listener heard of a spoken answer after some milliseconds of playback: the sentences whose
 * audio had completely played, then the leading words of the sentence playing at that moment in
 * proportion to its played fraction (whole words only). The result is a prefix of the answer as the
 * model wrote it, so the history reads as the answer cut short, with the model's own spacing.
 */
final class HeardText {

    private static final Pattern WORD = Pattern.compile("\\S+");

    /** One sentence as synthesized: its text and how long its audio plays. */
    record Sentence(String text, double durationMs) {
    }

    private HeardText() {
    }

    static String heard(String answer, List<Sentence> sentences, double playedMs) {
        if (playedMs <= 0 || sentences.isEmpty()) {
            return "";
        }
        int cursor = 0;
        int heardEnd = 0;
        double at = 0;
        for (Sentence sentence : sentences) {
            String text = sentence.text().strip();
            int position = answer.indexOf(text, cursor);
            if (position < 0) {
                // The speech engine changed the text (it should not): fall back to its words.
                return fromSentences(sentences, playedMs);
            }
            if (at + sentence.durationMs() <= playedMs) {
                heardEnd = position + text.length();
                cursor = heardEnd;
                at += sentence.durationMs();
                continue;
            }
            int words = leadingWordsEnd(text, (playedMs - at) / sentence.durationMs());
            if (words > 0) {
                heardEnd = position + words;
            }
            break;
        }
        return answer.substring(0, heardEnd).stripTrailing();
    }

    /** The end (exclusive, in {@code text}) of its first words covering {@code fraction} of them; 0 for none. */
    private static int leadingWordsEnd(String text, double fraction) {
        Matcher words = WORD.matcher(text);
        int total = 0;
        while (words.find()) {
            total++;
        }
        int keep = (int) Math.floor(total * Math.max(0, Math.min(1, fraction)));
        if (keep == 0) {
            return 0;
        }
        words.reset();
        int end = 0;
        for (int i = 0; i < keep && words.find(); i++) {
            end = words.end();
        }
        return end;
    }

    private static String fromSentences(List<Sentence> sentences, double playedMs) {
        StringBuilder heard = new StringBuilder();
        double at = 0;
        for (Sentence sentence : sentences) {
            String text = sentence.text().strip();
            if (at + sentence.durationMs() <= playedMs) {
                heard.append(heard.isEmpty() ? "" : " ").append(text);
                at += sentence.durationMs();
                continue;
            }
            int end = leadingWordsEnd(text, (playedMs - at) / sentence.durationMs());
            if (end > 0) {
                heard.append(heard.isEmpty() ? "" : " ").append(text, 0, end);
            }
            break;
        }
        return heard.toString();
    }
}
