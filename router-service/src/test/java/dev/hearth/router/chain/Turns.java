package dev.hearth.router.chain;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.Role;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** One stateless chat turn through the router's gRPC API, and what to read from its events. */
final class Turns {

    private Turns() {
    }

    static List<ChatEvent> chat(MutinyRouterGrpc.MutinyRouterStub router, String profile) {
        ChatRequest request = ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setProfile(profile)
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("Tell me about Hearth."))
                .build();
        return router.chat(Multi.createFrom().item(request)).collect().asList().await().atMost(Duration.ofSeconds(30));
    }

    static String text(List<ChatEvent> events) {
        return events.stream().filter(ChatEvent::hasText).map(e -> e.getText().getText()).collect(Collectors.joining());
    }

    static ChatEvent last(List<ChatEvent> events) {
        return events.get(events.size() - 1);
    }
}
