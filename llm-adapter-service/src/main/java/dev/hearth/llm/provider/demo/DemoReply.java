package dev.hearth.llm.provider.demo;

import java.util.List;
import java.util.regex.Pattern;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.Role;

/**
 * What the demo provider answers: a fixed greeting echoing the last user message, cut into
 * word tokens that keep their trailing whitespace, so the tokens concatenate to the text.
 */
record DemoReply(String text, List<String> tokens, int promptTokens) {

    static final String PREAMBLE = "Hello! This is Hearth's demo provider, streaming a reply so you can see "
            + "the suite work without any LLM. You said: ";

    // Split where whitespace ends and a word starts: "a  b" -> ["a  ", "b"].
    private static final Pattern TOKEN_BOUNDARY = Pattern.compile("(?<=\\s)(?=\\S)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    static DemoReply answering(List<ChatMessage> messages) {
        String said = "";
        int promptTokens = 0;
        for (ChatMessage message : messages) {
            promptTokens += wordCount(message.getContent());
            if (message.getRole() == Role.ROLE_USER) {
                said = message.getContent().strip();
            }
        }
        String text = PREAMBLE + (said.isEmpty() ? "(nothing)" : said);
        return new DemoReply(text, List.of(TOKEN_BOUNDARY.split(text)), promptTokens);
    }

    static int wordCount(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : WHITESPACE.split(stripped).length;
    }
}
