package dev.hearth.llm.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContinuationTrimmerTest {

    @Test
    void dropsWhatTheClientHasWhereverTheDeltasCut() {
        ContinuationTrimmer trimmer = new ContinuationTrimmer("\n\n");
        assertEquals("", trimmer.trim(""));
        assertEquals("", trimmer.trim("\n"));
        assertEquals("Two", trimmer.trim("\nTwo"));
        assertEquals("\n", trimmer.trim("\n"), "once past the gap, whitespace is the model's own");
    }

    @Test
    void keepsWhitespaceTheClientDoesNotHave() {
        assertEquals("\tx", new ContinuationTrimmer(" ").trim("\tx"));
        assertEquals(" x", new ContinuationTrimmer(" ").trim("  x"));
    }

    @Test
    void aToolCallFirstEndsTheMatching() {
        ContinuationTrimmer trimmer = new ContinuationTrimmer(" ");
        trimmer.stop();
        assertEquals(" later", trimmer.trim(" later"));
    }
}
