package dev.hearth.llm.provider.anthropic;

/**
 * Drops from the start of a continuation the whitespace the client already has. The prefill
 * was sent without its trailing whitespace ({@link Prefill}); the model usually begins by
 * writing it again ({@code "Hello"} + {@code " world"}), sometimes not ({@code "world"} after
 * {@code "Hello "} was cut mid-word-gap), sometimes other whitespace. Characters matching the
 * cut whitespace, in order, are dropped; at the first one that differs the rest passes as it is:
 * the client can neither lose nor see twice what it already shows. One instance per stream.
 */
final class ContinuationTrimmer {

    private String pending;

    ContinuationTrimmer(String cutWhitespace) {
        this.pending = cutWhitespace;
    }

    /** The part of this text delta the client has not seen yet (may be empty). */
    String trim(String text) {
        if (pending.isEmpty()) {
            return text;
        }
        int matched = 0;
        while (matched < text.length() && matched < pending.length() && text.charAt(matched) == pending.charAt(matched)) {
            matched++;
        }
        if (matched == text.length()) {
            pending = pending.substring(matched); // all of it was already shown; more may follow
        } else {
            pending = ""; // the model went its own way from here
        }
        return text.substring(matched);
    }

    /** Something other than text came first (a tool call): nothing left to match. */
    void stop() {
        pending = "";
    }
}
