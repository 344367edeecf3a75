package dev.hearth.router.chain;

/**
 * Removes what a continuing model repeats of the partial answer it was given. Asked to continue,
 * models often restart the last words or the last sentence; the start of the continuation is held
 * back while it still reads like the end of the partial answer, then only the new part passes.
 * <p>
 * A repeat is the longest start of the continuation that equals an end of the partial answer,
 * beginning at a word boundary there and either ending at a word boundary of the continuation (whole
 * words: "the" + " house" after "... keeps the") or at least {@code minChars} long (a restarted
 * word: "capital" after "... the capi"); a shorter piece of a word is taken for coincidence ("apple"
 * after "... is a"). Not thread-safe: one per continuation attempt.
 */
final class OverlapTrimmer {

    private final String tail;
    /** Whether the tail's first position is a word boundary of the whole partial answer. */
    private final boolean tailStartsAtBoundary;
    private final int minChars;
    private final StringBuilder pending = new StringBuilder();
    private boolean decided;

    OverlapTrimmer(CharSequence partial, int window, int minChars) {
        String text = partial.toString();
        int codePoints = text.codePointCount(0, text.length());
        int start = codePoints <= window ? 0 : text.offsetByCodePoints(0, codePoints - window);
        this.tail = text.substring(start);
        this.tailStartsAtBoundary = start == 0 || isBoundary(text, start);
        this.minChars = Math.max(1, minChars);
    }

    /** The part of this delta to pass on now (possibly empty while the start is held back). */
    String accept(String delta) {
        if (decided) {
            return delta;
        }
        pending.append(delta);
        return couldStillGrow() ? "" : decide();
    }

    /** The continuation ended (or failed): whatever is held back, less the repeat, passes now. */
    String finish() {
        return decided ? "" : decide();
    }

    /**
     * True while the held-back start still reads as a piece of the tail: it may grow into a longer
     * repeat, or (when it is the tail's very end) the next character says whether it ends a word.
     */
    private boolean couldStillGrow() {
        int length = pending.length();
        String held = pending.toString();
        for (int start = 0; start + length <= tail.length(); start++) {
            if (boundaryAt(start) && tail.startsWith(held, start)) {
                return true;
            }
        }
        return false;
    }

    private String decide() {
        decided = true;
        String held = pending.toString();
        pending.setLength(0);
        for (int k = Math.min(held.length(), tail.length()); k >= 1; k--) {
            int start = tail.length() - k;
            if (boundaryAt(start) && tail.regionMatches(start, held, 0, k)
                    && (k >= minChars || k == held.length() || isBoundary(held, k))) {
                return held.substring(k);
            }
        }
        return held;
    }

    private boolean boundaryAt(int index) {
        return index == 0 ? tailStartsAtBoundary : isBoundary(tail, index);
    }

    /** Between two code points, at least one of which is not part of a word. */
    private static boolean isBoundary(String text, int index) {
        if (Character.isLowSurrogate(text.charAt(index))) {
            return false; // inside one code point
        }
        return !Character.isLetterOrDigit(text.codePointAt(index))
                || !Character.isLetterOrDigit(text.codePointBefore(index));
    }
}
