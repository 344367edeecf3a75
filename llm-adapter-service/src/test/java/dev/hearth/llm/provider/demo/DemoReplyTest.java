package dev.hearth.llm.provider.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.Role;

class DemoReplyTest {

    @Test
    void echoesTheLastUserMessageInTokensThatKeepEveryCharacter() {
        DemoReply reply = DemoReply.answering(List.of(
                message(Role.ROLE_USER, "first question"),
                message(Role.ROLE_ASSISTANT, "an answer"),
                message(Role.ROLE_USER, "  multi\nline\t\ttext ")));

        assertEquals(DemoReply.PREAMBLE + "multi\nline\t\ttext", reply.text());
        assertEquals(reply.text(), String.join("", reply.tokens()));
        assertEquals(List.of("multi\n", "line\t\t", "text"), reply.tokens().subList(reply.tokens().size() - 3,
                reply.tokens().size()));
        assertEquals(2 + 2 + 3, reply.promptTokens());
    }

    @Test
    void saysSoWhenThereIsNoUserMessage() {
        DemoReply reply = DemoReply.answering(List.of(message(Role.ROLE_SYSTEM, "")));

        assertEquals(DemoReply.PREAMBLE + "(nothing)", reply.text());
        assertEquals(0, reply.promptTokens());
    }

    private static ChatMessage message(Role role, String content) {
        return ChatMessage.newBuilder().setRole(role).setContent(content).build();
    }
}
