package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.proto.grpc.GrpcStreams;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GenerationParams;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.RouterGrpc;
import dev.hearth.proto.v1.ToolCall;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stateless turns (the OpenAI-compatible API): the request carries the conversation, nothing is stored. */
@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
class StatelessChatTest {

    private static final ChatMessage PROFILE_SYSTEM_PROMPT =
            ChatMessage.newBuilder().setRole(Role.ROLE_SYSTEM).setContent("Be brief.").build();

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @GrpcClient("self")
    io.grpc.Channel channel;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    /** A user of its own per test, so the fake's history calls can be told apart. */
    private String user;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
        user = "stateless-" + UUID.randomUUID();
    }

    private List<ChatEvent> chat(ChatRequest request) {
        return router.chat(Multi.createFrom().item(request)).collect().asList().await().atMost(Duration.ofSeconds(10));
    }

    private Status rejection(ChatRequest request) {
        Throwable failure = router.chat(Multi.createFrom().item(request)).collect().asList()
                .onItemOrFailure().transform((ok, f) -> f).await().atMost(Duration.ofSeconds(5));
        assertThat(failure).as("the turn must fail, not answer").isNotNull();
        return Status.fromThrowable(failure);
    }

    private ChatRequest.Builder request(ChatMessage... messages) {
        return ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId(user)
                .addAllMessages(List.of(messages));
    }

    private static ChatMessage message(Role role, String content) {
        return ChatMessage.newBuilder().setRole(role).setContent(content).build();
    }

    private static Optional<GenerateRequest> generated(ChatRequest request) {
        return FakeDownstream.GENERATE_REQUESTS.stream()
                .filter(r -> r.getRequestId().equals(request.getRequestId())).findFirst();
    }

    private static GenerationParams paramsSent(ChatRequest request) {
        return generated(request).orElseThrow().getParams();
    }

    /** No history call names this test's user or the given conversation id. */
    private boolean noHistoryCallsFor(String conversationId) {
        return FakeDownstream.APPEND_REQUESTS.stream()
                        .noneMatch(r -> r.getUserId().equals(user) || r.getConversationId().equals(conversationId))
                && FakeDownstream.GET_HISTORY_REQUESTS.stream()
                        .noneMatch(r -> r.getConversationId().equals(conversationId));
    }

    /** For failures that would store asynchronously: nothing arrives for a while. */
    private void assertNothingStoredFor(String conversationId) {
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> noHistoryCallsFor(conversationId));
    }

    @Test
    void sendsExactlyTheGivenMessagesAfterTheProfilesSystemPromptAndTouchesNoHistory() {
        List<ChatMessage> given = List.of(
                message(Role.ROLE_SYSTEM, "Answer in French."),
                message(Role.ROLE_USER, "What is the weather in Paris?"),
                ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                        .addToolCalls(ToolCall.newBuilder().setId("call-1").setName("weather")
                                .setArgumentsJson("{\"city\":\"Paris\"}"))
                        .build(),
                ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call-1").setName("weather")
                        .setContent("{\"celsius\":21}").build());
        // text and conversation_id are ignored by a stateless turn
        String conversation = "ignored-" + UUID.randomUUID();
        ChatRequest request = request(given.toArray(ChatMessage[]::new))
                .setText("ignored text").setConversationId(conversation).build();

        List<ChatEvent> events = chat(request);

        assertThat(events.get(0).hasStarted()).isTrue();
        assertThat(events.get(0).getStarted().getConversationId()).isEmpty();
        assertThat(events.get(0).getStarted().getProfile()).isEqualTo("default");
        assertThat(events.subList(1, 4)).extracting(e -> e.getText().getText()).containsExactlyElementsOf(FakeDownstream.ANSWER);
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.hasCompleted()).isTrue();
        assertThat(last.getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(last.getCompleted().getConversationId()).isEmpty();

        List<ChatMessage> expected = new ArrayList<>();
        expected.add(PROFILE_SYSTEM_PROMPT);
        expected.addAll(given);
        assertThat(generated(request).orElseThrow().getMessagesList()).containsExactlyElementsOf(expected);
        // a stored turn stores before `completed`, so a wrong store would already be here
        assertThat(noHistoryCallsFor(conversation)).isTrue();
        assertThat(FakeDownstream.HISTORY).doesNotContainKeys(conversation, "");
    }

    @Test
    void withoutASystemPromptInTheProfileOnlyTheGivenMessagesAreSent() {
        List<ChatMessage> given = List.of(
                message(Role.ROLE_USER, "Hi"),
                message(Role.ROLE_ASSISTANT, "Hello!"),
                message(Role.ROLE_USER, "Tell me a joke"));
        ChatRequest request = request(given.toArray(ChatMessage[]::new)).setProfile("bare").build();

        List<ChatEvent> events = chat(request);

        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
        assertThat(generated(request).orElseThrow().getMessagesList()).containsExactlyElementsOf(given);
        assertThat(noHistoryCallsFor("")).isTrue();
    }

    @Test
    void aToolResultAloneIsSomethingToAnswer() {
        ChatRequest request = request(
                ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT)
                        .addToolCalls(ToolCall.newBuilder().setId("call-7").setName("lights").setArgumentsJson("{}"))
                        .build(),
                ChatMessage.newBuilder().setRole(Role.ROLE_TOOL).setToolCallId("call-7").setContent("ok").build())
                .build();

        List<ChatEvent> events = chat(request);

        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
        assertThat(generated(request)).isPresent();
    }

    @Test
    void setParamsReplaceTheProfilesAndUnsetOnesKeepThem() {
        // An explicit 0.0 is a value, not "unset".
        ChatRequest request = request(message(Role.ROLE_USER, "Hi"))
                .setParams(GenerationParams.newBuilder().setTemperature(0.0).setMaxTokens(50)).build();

        chat(request);

        GenerationParams sent = paramsSent(request);
        assertThat(sent.hasTemperature()).isTrue();
        assertThat(sent.getTemperature()).isEqualTo(0.0);
        assertThat(sent.getMaxTokens()).isEqualTo(50);
        assertThat(sent.getTopP()).isEqualTo(FakeDownstream.PROFILE_PARAMS.getTopP());
        assertThat(sent.getStopList()).containsExactly("END");
    }

    @Test
    void aNonEmptyStopListReplacesTheProfilesWhole() {
        ChatRequest request = request(message(Role.ROLE_USER, "Hi"))
                .setParams(GenerationParams.newBuilder().setTopP(0.5).addStop("###").addStop("\n\n")).build();

        chat(request);

        GenerationParams sent = paramsSent(request);
        assertThat(sent.getStopList()).containsExactly("###", "\n\n");
        assertThat(sent.getTopP()).isEqualTo(0.5);
        assertThat(sent.getTemperature()).isEqualTo(FakeDownstream.PROFILE_PARAMS.getTemperature());
        assertThat(sent.getMaxTokens()).isEqualTo(FakeDownstream.PROFILE_PARAMS.getMaxTokens());
    }

    @Test
    void withoutParamsTheProfilesApply() {
        ChatRequest request = request(message(Role.ROLE_USER, "Hi")).build();

        chat(request);

        assertThat(paramsSent(request)).isEqualTo(FakeDownstream.PROFILE_PARAMS);
    }

    @Test
    void paramsAlsoOverrideTheProfileOnAStoredTurn() {
        ChatRequest request = ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId(user)
                .setText("Hi").setParams(GenerationParams.newBuilder().setTemperature(1.2)).build();

        List<ChatEvent> events = chat(request);

        assertThat(events.get(0).getStarted().getConversationId()).isNotEmpty();
        GenerationParams sent = paramsSent(request);
        assertThat(sent.getTemperature()).isEqualTo(1.2);
        assertThat(sent.getMaxTokens()).isEqualTo(FakeDownstream.PROFILE_PARAMS.getMaxTokens());
    }

    @Test
    void messagesWithoutAUserOrToolMessageAreRejected() {
        ChatRequest request = request(message(Role.ROLE_SYSTEM, "You are helpful."), message(Role.ROLE_ASSISTANT, "Hi!"))
                .setText("text does not count").build();

        Status status = rejection(request);

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo("messages must contain a user message");
        assertThat(generated(request)).isEmpty();
    }

    @Test
    void aMessageWithoutARoleIsRejected() {
        ChatRequest unspecified = request(message(Role.ROLE_USER, "Hi"), message(Role.ROLE_UNSPECIFIED, "who am I")).build();
        ChatRequest unknown = request(message(Role.ROLE_USER, "Hi"),
                ChatMessage.newBuilder().setRoleValue(42).setContent("from the future").build()).build();

        for (ChatRequest request : List.of(unspecified, unknown)) {
            Status status = rejection(request);
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("messages[1]").contains("role");
            assertThat(generated(request)).isEmpty();
        }
    }

    @Test
    void unknownProfileIsTheClientsMistake() {
        List<ChatEvent> events = chat(request(message(Role.ROLE_USER, "Hi")).setProfile("nope").build());

        assertThat(events).hasSize(1);
        assertThat(events.get(0).getError().getCode()).isEqualTo("invalid_message");
    }

    @Test
    void providerFailureEndsWithItsErrorAndStoresNothing() {
        ChatRequest request = request(message(Role.ROLE_USER, "unavailable")).build();

        List<ChatEvent> events = chat(request);

        assertThat(events.get(0).getStarted().getConversationId()).isEmpty();
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getError().getCode()).isEqualTo("provider_unavailable");
        assertThat(last.getError().getRetryAfterMs()).isEqualTo(2000);
        assertNothingStoredFor("");
    }

    @Test
    void firstTokenTimeoutEndsWithTimeoutAndStoresNothing() {
        List<ChatEvent> events = chat(request(message(Role.ROLE_USER, "slow-first")).build());

        assertThat(events.get(events.size() - 1).getError().getCode()).isEqualTo("timeout");
        assertNothingStoredFor("");
    }

    @Test
    void cancellingCancelsTheProviderCallAndStoresNothing() {
        int cancelledBefore = FakeDownstream.GENERATE_CANCELLED.get();
        AssertSubscriber<ChatEvent> subscriber = GrpcStreams
                .openRequestStream(request(message(Role.ROLE_USER, "endless")).build(), RouterGrpc.newStub(channel)::chat)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        subscriber.awaitItems(4, Duration.ofSeconds(5));
        assertThat(subscriber.getItems().get(0).getStarted().getConversationId()).isEmpty();
        subscriber.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.GENERATE_CANCELLED.get() > cancelledBefore);
        assertNothingStoredFor("");
    }
}
