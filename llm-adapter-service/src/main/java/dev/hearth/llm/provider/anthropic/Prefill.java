package dev.hearth.llm.provider.anthropic;

/**
 * The partial answer Anthropic continues ({@code continue_final_message}). Anthropic rejects a
 * final assistant message ending in whitespace, so that whitespace is cut off before sending and
 * kept here: the client already has it, and {@link ContinuationTrimmer} keeps the model from
 * sending it twice.
 */
record Prefill(String sent, String cutWhitespace) {

    static Prefill of(String partialAnswer) {
        int end = partialAnswer.length();
        while (end > 0) {
            int codePoint = partialAnswer.codePointBefore(end);
            if (!isWhitespace(codePoint)) {
                break;
            }
            end -= Character.charCount(codePoint);
        }
        return new Prefill(partialAnswer.substring(0, end), partialAnswer.substring(end));
    }

    // Character.isWhitespace leaves out no-break spaces, which a server-side strip() removes too.
    private static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
