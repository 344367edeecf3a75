package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.StoredMessage;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
class RouterChatTest {

    // No host/port configured: in test mode the client calls this application's own test port.
    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @GrpcClient("self")
    io.grpc.Channel channel;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
    }

    private List<ChatEvent> chat(ChatRequest request) {
        return router.chat(Multi.createFrom().item(request)).collect().asList().await().atMost(Duration.ofSeconds(10));
    }

    private static ChatRequest.Builder request(String text) {
        return ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId("alice").setText(text);
    }

    @Test
    void streamsTheProviderAnswerAndStoresBothSides() {
        List<ChatEvent> events = chat(request("Hi there").build());

        assertThat(events.get(0).hasStarted()).isTrue();
        String conversation = events.get(0).getStarted().getConversationId();
        assertThat(conversation).isNotBlank();
        assertThat(events.get(0).getStarted().getProvider()).isEqualTo("fake-provider");
        assertThat(events.subList(1, 4)).extracting(e -> e.getText().getText()).containsExactlyElementsOf(FakeDownstream.ANSWER);
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.hasCompleted()).isTrue();
        assertThat(last.getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(last.getCompleted().getModel()).isEqualTo("fake-model-v2");
        assertThat(last.getCompleted().getUsage().getPromptTokens()).isEqualTo(7);
        assertThat(last.getCompleted().getConversationId()).isEqualTo(conversation);

        // Stored before `completed` was sent, so no waiting.
        List<StoredMessage> stored = FakeDownstream.HISTORY.get(conversation);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).getMessage().getRole()).isEqualTo(Role.ROLE_USER);
        assertThat(stored.get(0).getMessage().getContent()).isEqualTo("Hi there");
        assertThat(stored.get(1).getMessage().getRole()).isEqualTo(Role.ROLE_ASSISTANT);
        assertThat(stored.get(1).getMessage().getContent()).isEqualTo("One two three");
        assertThat(stored.get(1).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(stored.get(1).getTruncated()).isFalse();
    }

    @Test
    void sendsSystemPromptAndEarlierTurnsToTheModel() {
        String conversation = chat(request("first question").build()).get(0).getStarted().getConversationId();
        chat(request("second question").setConversationId(conversation).build());

        GenerateRequest second = FakeDownstream.GENERATE_REQUESTS.stream()
                .filter(r -> r.getMessages(r.getMessagesCount() - 1).getContent().equals("second question"))
                .findFirst().orElseThrow();
        assertThat(second.getModel()).isEqualTo("fake-model");
        assertThat(second.getMessagesList()).extracting(m -> m.getRole() + ":" + m.getContent()).containsExactly(
                "ROLE_SYSTEM:Be brief.",
                "ROLE_USER:first question",
                "ROLE_ASSISTANT:One two three",
                "ROLE_USER:second question");
        assertThat(FakeDownstream.HISTORY.get(conversation)).hasSize(4);
    }

    @Test
    void firstTokenTimeoutEndsWithTimeoutAndIsStoredAsTruncated() {
        List<ChatEvent> events = chat(request("slow-first").build());
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getError().getCode()).isEqualTo("timeout");
        String conversation = events.get(0).getStarted().getConversationId();
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HISTORY.containsKey(conversation));
        StoredMessage answer = FakeDownstream.HISTORY.get(conversation).get(1);
        assertThat(answer.getTruncated()).isTrue();
        assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_ERROR);
    }

    @Test
    void idleGapMidStreamEndsIncompleteKeepingWhatWasSaid() {
        // Text already reached the client and no other target can continue it: the turn completes
        // as INCOMPLETE rather than failing after text (the chain's own tests cover the fallback).
        List<ChatEvent> events = chat(request("stall").build());
        assertThat(events.get(1).getText().getText()).isEqualTo("One");
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_INCOMPLETE);
        String conversation = events.get(0).getStarted().getConversationId();
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HISTORY.containsKey(conversation));
        StoredMessage answer = FakeDownstream.HISTORY.get(conversation).get(1);
        assertThat(answer.getMessage().getContent()).isEqualTo("One");
        assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_INCOMPLETE);
        assertThat(answer.getTruncated()).isTrue();
    }

    @Test
    void providerRateLimitBecomesProviderUnavailableWithRetryAfter() {
        List<ChatEvent> events = chat(request("unavailable").build());
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getError().getCode()).isEqualTo("provider_unavailable");
        assertThat(last.getError().getRetryAfterMs()).isEqualTo(2000);
        assertThat(last.getError().getMessage()).contains("rate limited");
    }

    @Test
    void unknownProfileIsTheClientsMistake() {
        List<ChatEvent> events = chat(request("hello").setProfile("nope").build());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getError().getCode()).isEqualTo("invalid_message");
        assertThat(events.get(0).getError().getMessage()).contains("nope");
    }

    @Test
    void emptyTextIsRejected() {
        Throwable failure = router.chat(Multi.createFrom().item(request(" ").build())).collect().asList()
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(5));
        assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void cancellingTheTurnCancelsTheProviderCallAndStoresThePartialAnswer() {
        int cancelledBefore = FakeDownstream.GENERATE_CANCELLED.get();
        // The Mutiny stub would not cancel the call (see GrpcStreams); a real client's cancel does.
        AssertSubscriber<ChatEvent> subscriber = dev.hearth.proto.grpc.GrpcStreams
                .openRequestStream(request("endless").build(), dev.hearth.proto.v1.RouterGrpc.newStub(channel)::chat)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        subscriber.awaitItems(4, Duration.ofSeconds(5));
        String conversation = subscriber.getItems().get(0).getStarted().getConversationId();
        subscriber.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.GENERATE_CANCELLED.get() > cancelledBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HISTORY.containsKey(conversation));
        StoredMessage answer = FakeDownstream.HISTORY.get(conversation).get(1);
        assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
        assertThat(answer.getTruncated()).isTrue();
        assertThat(answer.getMessage().getContent()).startsWith("w0 w1 w2 ");
    }
}
