package dev.hearth.tts.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts text arriving in pieces into sentences as soon as each one is complete. Handles
 * abbreviations ("Dr."), initials ("J. Smith"), decimals ("3.5"), ellipses ("Wait... what"),
 * "?!", closing quotes and brackets, newlines, and CJK full stops. Not thread-safe: one per stream.
 */
public final class SentenceSplitter {

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st",
            "mt", "ft", "vs", "no", "nr", "fig", "e.g", "i.e", "approx", "dept", "est", "inc", "ltd", "co", "corp",
            "gen", "col", "lt", "sgt", "capt", "rev", "hon", "u.s", "a.m", "p.m", "ca", "cf", "al", "vol", "ed");
    private static final String CJK_STOPS = "。！？｡";
    private static final String STOPS = ".!?…";
    private static final String CLOSERS = "\"'”’)]}»」』】）";

    private final StringBuilder buffer = new StringBuilder();

    /** Adds text; returns the sentences it completed, in order (trimmed, never blank). */
    public List<String> push(String text) {
        buffer.append(text);
        List<String> out = new ArrayList<>();
        int end;
        while ((end = boundary(buffer, false)) > 0) {
            add(out, buffer.substring(0, end));
            buffer.delete(0, end);
        }
        return out;
    }

    /** Everything still buffered, as sentences; the buffer is then empty. */
    public List<String> flush() {
        List<String> out = new ArrayList<>();
        int end;
        while ((end = boundary(buffer, true)) > 0 && end < buffer.length()) {
            add(out, buffer.substring(0, end));
            buffer.delete(0, end);
        }
        add(out, buffer.toString());
        buffer.setLength(0);
        return out;
    }

    /** True when some non-blank text waits for its sentence to end. */
    public boolean hasPending() {
        return !buffer.toString().isBlank();
    }

    private static void add(List<String> out, String sentence) {
        String trimmed = sentence.strip();
        if (!trimmed.isEmpty()) {
            out.add(trimmed);
        }
    }

    /** Index just past the first complete sentence, or -1 when none is complete yet. */
    static int boundary(CharSequence s, boolean last) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                return i + 1;
            }
            if (CJK_STOPS.indexOf(c) >= 0) {
                int j = i + 1;
                while (j < n && (CJK_STOPS.indexOf(s.charAt(j)) >= 0 || CLOSERS.indexOf(s.charAt(j)) >= 0)) {
                    j++;
                }
                return j;
            }
            if (STOPS.indexOf(c) < 0) {
                continue;
            }
            int j = i;
            while (j < n && STOPS.indexOf(s.charAt(j)) >= 0) {
                j++;
            }
            int k = j;
            while (k < n && CLOSERS.indexOf(s.charAt(k)) >= 0) {
                k++;
            }
            if (k == n) {
                return last ? n : -1; // the next piece may continue it ("3." then "5")
            }
            if (!Character.isWhitespace(s.charAt(k))) {
                i = k - 1; // "3.5", "e.g.", "Hi!Yes": no boundary here
                continue;
            }
            String run = s.subSequence(i, j).toString();
            if (".".equals(run) && k == j && isAbbreviation(s, i)) {
                i = k;
                continue;
            }
            if (run.contains("…") || run.startsWith("..")) {
                int m = k;
                while (m < n && Character.isWhitespace(s.charAt(m)) && s.charAt(m) != '\n') {
                    m++;
                }
                if (m == n) {
                    if (last) {
                        return k;
                    }
                    return -1; // "Wait... what" goes on in lower case: wait for the next letter
                }
                if (Character.isLowerCase(s.charAt(m))) {
                    i = m - 1;
                    continue;
                }
            }
            return k;
        }
        return -1;
    }

    private static boolean isAbbreviation(CharSequence s, int dot) {
        int start = dot;
        while (start > 0 && (Character.isLetter(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
            start--;
        }
        String word = s.subSequence(start, dot).toString();
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            return true; // an initial: "J. Smith"
        }
        return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
    }

    /** True when the text has something to say (a letter or a digit). */
    public static boolean speakable(String text) {
        return text.codePoints().anyMatch(Character::isLetterOrDigit);
    }
}
