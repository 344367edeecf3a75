package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.Profile;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one chat turn is answered from: the request, its profile, the earlier messages and the
 * tools the profile allows. A stateless turn (the request carries the conversation as
 * {@code messages}) has no conversation id, no stored past and is never stored.
 * {@code pastCached}: Redis holds exactly {@code past}, so the turn's messages may extend it there.
 */
record Turn(ChatRequest request, String conversationId, Profile profile, List<StoredMessage> past, boolean pastCached,
        ToolSet tools, TurnOptions options) {

    static Turn stateless(ChatRequest request, Profile profile) {
        return new Turn(request, "", profile, List.of(), false, ToolSet.NONE, TurnOptions.TEXT);
    }

    Turn withTools(ToolSet tools) {
        return new Turn(request, conversationId, profile, past, pastCached, tools, options);
    }

    static boolean isStateless(ChatRequest request) {
        return request.getMessagesCount() > 0;
    }

    boolean stateless() {
        return isStateless(request);
    }

    /**
     * The prompt: the profile's system prompt first, then either the caller's messages verbatim
     * (stateless) or the stored messages and the user's new text.
     */
    List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>(past.size() + request.getMessagesCount() + 2);
        if (!profile.getSystemPrompt().isBlank()) {
            messages.add(ChatMessage.newBuilder().setRole(Role.ROLE_SYSTEM).setContent(profile.getSystemPrompt()).build());
        }
        if (stateless()) {
            messages.addAll(request.getMessagesList());
            return messages;
        }
        boolean started = false;
        for (StoredMessage stored : past) {
            ChatMessage message = stored.getMessage();
            // The history window may begin inside a tool round: a result without its call is refused
            // by providers, so the past starts at a user message.
            started |= message.getRole() == Role.ROLE_USER;
            // An interrupted turn ends with an empty answer that only records why; it says nothing.
            boolean empty = message.getRole() == Role.ROLE_ASSISTANT && message.getContent().isEmpty()
                    && message.getToolCallsCount() == 0;
            if (started && !empty) {
                messages.add(message);
            }
        }
        messages.add(userMessage());
        return messages;
    }

    ChatMessage userMessage() {
        return ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent(request.getText()).build();
    }

    /** The profile's sampling parameters with every field the request sets put in their place. */
    GenerationParams params() {
        GenerationParams overrides = request.getParams();
        GenerationParams.Builder params = profile.getParams().toBuilder();
        if (overrides.hasTemperature()) {
            params.setTemperature(overrides.getTemperature());
        }
        if (overrides.hasTopP()) {
            params.setTopP(overrides.getTopP());
        }
        if (overrides.hasMaxTokens()) {
            params.setMaxTokens(overrides.getMaxTokens());
        }
        // A repeated field has no presence: an empty list means "not set".
        if (overrides.getStopCount() > 0) {
            params.clearStop().addAllStop(overrides.getStopList());
        }
        return params.build();
    }

    String userId() {
        return userId(request);
    }

    static String userId(ChatRequest request) {
        return request.getUserId().isBlank() ? "anonymous" : request.getUserId();
    }
}
