package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import java.util.Optional;

/** What makes a ChatRequest unanswerable before any downstream call is made. */
final class ChatRequestCheck {

    private ChatRequestCheck() {
    }

    /** Why the request cannot be answered, or empty when it can. */
    static Optional<String> problem(ChatRequest request) {
        if (!Turn.isStateless(request)) {
            return request.getText().isBlank() ? Optional.of("text is empty") : Optional.empty();
        }
        boolean asks = false;
        for (int i = 0; i < request.getMessagesCount(); i++) {
            ChatMessage message = request.getMessages(i);
            switch (message.getRole()) {
                case ROLE_USER, ROLE_TOOL -> asks = true;
                case ROLE_SYSTEM, ROLE_ASSISTANT -> { }
                // ROLE_UNSPECIFIED, or a role newer than this router (UNRECOGNIZED)
                default -> {
                    return Optional.of("messages[" + i + "] has no valid role");
                }
            }
        }
        // Only a user's words or a tool's result give the model something to answer.
        return asks ? Optional.empty() : Optional.of("messages must contain a user message");
    }
}
