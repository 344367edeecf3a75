package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/** Everything one chat turn is answered from: the request, its profile and the earlier messages. */
record Turn(ChatRequest request, String conversationId, Profile profile, List<StoredMessage> past) {

    /** The prompt: system prompt, earlier messages, then the user's new text. */
    List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>(past.size() + 2);
        if (!profile.getSystemPrompt().isBlank()) {
            messages.add(ChatMessage.newBuilder().setRole(Role.ROLE_SYSTEM).setContent(profile.getSystemPrompt()).build());
        }
        past.forEach(stored -> messages.add(stored.getMessage()));
        messages.add(userMessage());
        return messages;
    }

    ChatMessage userMessage() {
        return ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent(request.getText()).build();
    }

    String userId() {
        return request.getUserId().isBlank() ? "anonymous" : request.getUserId();
    }
}
