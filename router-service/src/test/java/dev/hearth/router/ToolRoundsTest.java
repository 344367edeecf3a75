package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.grpc.GrpcStreams;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.RouterGrpc;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.ToolResultEvent;
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

/** Tool rounds against a fake ToolService and a fake adapter that asks for tools (max-rounds 2 here). */
@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
@QuarkusTestResource(RedisTestResource.class)
class ToolRoundsTest {

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
        return router.chat(Multi.createFrom().item(request)).collect().asList().await().atMost(Duration.ofSeconds(15));
    }

    private static ChatRequest request(String text) {
        return ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId("alice").setProfile("tools")
                .setText(text).build();
    }

    private static List<GenerateRequest> generated(ChatRequest request) {
        return FakeDownstream.GENERATE_REQUESTS.stream().filter(r -> r.getRequestId().equals(request.getRequestId())).toList();
    }

    private static List<CallToolRequest> toolCalls(String conversation) {
        return FakeDownstream.CALL_TOOL_REQUESTS.stream().filter(r -> r.getConversationId().equals(conversation)).toList();
    }

    private static List<ToolResultEvent> results(List<ChatEvent> events) {
        return events.stream().filter(ChatEvent::hasToolResult).map(ChatEvent::getToolResult).toList();
    }

    private static String text(List<ChatEvent> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(ChatEvent::hasText).forEach(e -> text.append(e.getText().getText()));
        return text.toString();
    }

    @Test
    void aToolRoundRunsTheCallFeedsTheResultBackAndAnswers() {
        ChatRequest request = request("use-clock");

        List<ChatEvent> events = chat(request);

        String conversation = events.get(0).getStarted().getConversationId();
        assertThat(events).filteredOn(ChatEvent::hasToolCall).singleElement().satisfies(e -> {
            assertThat(e.getToolCall().getCall().getId()).isEqualTo("call-clock");
            assertThat(e.getToolCall().getCall().getName()).isEqualTo("current_time");
            assertThat(e.getToolCall().getCall().getArgumentsJson()).isEqualTo("{\"timezone\":\"Europe/Paris\"}");
        });
        ToolResultEvent result = results(events).get(0);
        assertThat(result.getIsError()).isFalse();
        assertThat(result.getToolCallId()).isEqualTo("call-clock");
        assertThat(result.getResultJson()).contains("\"time\":\"12:00\"").contains("Europe/Paris");
        // both rounds' text reached the client, in order, around the tool events
        assertThat(text(events)).isEqualTo("Let me check. It is " + result.getResultJson());
        assertThat(events.indexOf(events.stream().filter(ChatEvent::hasToolResult).findFirst().orElseThrow()))
                .isLessThan(events.size() - 2);

        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(last.getCompleted().getUsage().getPromptTokens()).isEqualTo(5 + 11);
        assertThat(last.getCompleted().getUsage().getCompletionTokens()).isEqualTo(2 + 3);
        assertThat(last.getCompleted().getAttempts()).isEqualTo(2);

        // the tool was called once, for this user and conversation
        assertThat(toolCalls(conversation)).singleElement().satisfies(call -> {
            assertThat(call.getUserId()).isEqualTo("alice");
            assertThat(call.getCallId()).isEqualTo("call-clock");
            assertThat(call.getArgumentsJson()).isEqualTo("{\"timezone\":\"Europe/Paris\"}");
        });
        // the model got the tools, then its own call and the result
        List<GenerateRequest> rounds = generated(request);
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(0).getToolsList()).extracting(t -> t.getName()).containsExactly("current_time", "hang");
        assertThat(rounds.get(0).getTools(0).getInputSchemaJson()).isEqualTo(FakeDownstream.CLOCK_SCHEMA);
        List<ChatMessage> fedBack = rounds.get(1).getMessagesList();
        assertThat(fedBack).extracting(ChatMessage::getRole)
                .containsExactly(Role.ROLE_USER, Role.ROLE_ASSISTANT, Role.ROLE_TOOL);
        assertThat(fedBack.get(1).getContent()).isEqualTo("Let me check. ");
        assertThat(fedBack.get(1).getToolCalls(0).getId()).isEqualTo("call-clock");
        assertThat(fedBack.get(2).getToolCallId()).isEqualTo("call-clock");
        assertThat(fedBack.get(2).getName()).isEqualTo("current_time");
        assertThat(fedBack.get(2).getContent()).isEqualTo(result.getResultJson());

        // every message of the turn is stored, before `completed`
        List<StoredMessage> stored = FakeDownstream.HISTORY.get(conversation);
        assertThat(stored).extracting(m -> m.getMessage().getRole())
                .containsExactly(Role.ROLE_USER, Role.ROLE_ASSISTANT, Role.ROLE_TOOL, Role.ROLE_ASSISTANT);
        assertThat(stored.get(1).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_TOOL_CALLS);
        assertThat(stored.get(1).getMessage().getToolCallsCount()).isEqualTo(1);
        assertThat(stored.get(2).getMessage().getContent()).isEqualTo(result.getResultJson());
        assertThat(stored.get(3).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(stored.get(3).getTruncated()).isFalse();
    }

    @Test
    void argumentsBreakingTheSchemaAreAnErrorResultAndTheToolIsNotCalled() {
        ChatRequest request = request("bad-args");

        List<ChatEvent> events = chat(request);

        String conversation = events.get(0).getStarted().getConversationId();
        ToolResultEvent result = results(events).get(0);
        assertThat(result.getIsError()).isTrue();
        assertThat(result.getResultJson()).contains("\"code\":\"invalid_arguments\"").contains("timezone");
        assertThat(toolCalls(conversation)).isEmpty();
        // fed back so the model can correct itself; it did
        List<GenerateRequest> rounds = generated(request);
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(1).getMessages(2).getContent()).isEqualTo(result.getResultJson());
        assertThat(text(events)).endsWith("Recovered");
        assertThat(events.get(events.size() - 1).getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
    }

    @Test
    void aToolNotInTheCatalogIsAnErrorResult() {
        List<ChatEvent> events = chat(request("unknown-tool"));

        String conversation = events.get(0).getStarted().getConversationId();
        ToolResultEvent result = results(events).get(0);
        assertThat(result.getIsError()).isTrue();
        assertThat(result.getName()).isEqualTo("launch_rockets");
        assertThat(result.getResultJson()).contains("\"code\":\"unknown_tool\"");
        assertThat(toolCalls(conversation)).isEmpty();
        assertThat(events.get(events.size() - 1).hasCompleted()).isTrue();
    }

    @Test
    void aToolThatDoesNotAnswerInTimeIsCancelledAndAnErrorResult() {
        int cancelledBefore = FakeDownstream.HANG_CANCELLED.get();

        List<ChatEvent> events = chat(request("slow-tool"));

        String conversation = events.get(0).getStarted().getConversationId();
        // the provider gave no id and no arguments: the router named the call and sent {}
        String callId = events.stream().filter(ChatEvent::hasToolCall).findFirst().orElseThrow().getToolCall().getCall().getId();
        assertThat(callId).isNotEmpty();
        assertThat(toolCalls(conversation)).singleElement().satisfies(call -> {
            assertThat(call.getCallId()).isEqualTo(callId);
            assertThat(call.getArgumentsJson()).isEqualTo("{}");
        });
        ToolResultEvent result = results(events).get(0);
        assertThat(result.getToolCallId()).isEqualTo(callId);
        assertThat(result.getIsError()).isTrue();
        assertThat(result.getResultJson()).contains("\"code\":\"timeout\"");
        assertThat(text(events)).endsWith("Recovered");
        assertThat(events.get(events.size() - 1).getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HANG_CANCELLED.get() > cancelledBefore);
    }

    @Test
    void aModelThatKeepsAskingIsStoppedAfterMaxRounds() {
        ChatRequest request = request("loop");

        List<ChatEvent> events = chat(request);

        String conversation = events.get(0).getStarted().getConversationId();
        assertThat(generated(request)).hasSize(3); // max-rounds 2: two tool rounds, then the refused ask
        assertThat(toolCalls(conversation)).hasSize(2);
        assertThat(events).filteredOn(ChatEvent::hasToolCall).hasSize(3);
        List<ToolResultEvent> results = results(events);
        assertThat(results).hasSize(3);
        assertThat(results.subList(0, 2)).allSatisfy(r -> assertThat(r.getIsError()).isFalse());
        assertThat(results.get(2).getIsError()).isTrue();
        assertThat(results.get(2).getResultJson()).contains("\"code\":\"tool_round_limit\"");
        ChatEvent last = events.get(events.size() - 1);
        assertThat(last.getCompleted().getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_TOOL_CALLS);
        assertThat(last.getCompleted().getUsage().getPromptTokens()).isEqualTo(3 * 5);
        assertThat(last.getCompleted().getAttempts()).isEqualTo(3);

        List<StoredMessage> stored = FakeDownstream.HISTORY.get(conversation);
        assertThat(stored).hasSize(1 + 3 * 2); // the user, then three asks each with its result
        StoredMessage refused = stored.get(5);
        assertThat(refused.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_TOOL_CALLS);
        assertThat(refused.getTruncated()).isTrue();
        assertThat(stored.get(6).getMessage().getRole()).isEqualTo(Role.ROLE_TOOL);
    }

    @Test
    void cancellingDuringAToolCallCancelsItAndStoresTheTurnAsFarAsItWent() {
        int cancelledBefore = FakeDownstream.HANG_CANCELLED.get();
        AssertSubscriber<ChatEvent> subscriber = GrpcStreams
                .openRequestStream(request("hang-cancel"), RouterGrpc.newStub(channel)::chat)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.getItems().stream().anyMatch(ChatEvent::hasToolCall));
        String conversation = subscriber.getItems().get(0).getStarted().getConversationId();
        await().atMost(Duration.ofSeconds(5)).until(() -> !toolCalls(conversation).isEmpty());
        subscriber.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HANG_CANCELLED.get() > cancelledBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> FakeDownstream.HISTORY.containsKey(conversation));
        List<StoredMessage> stored = FakeDownstream.HISTORY.get(conversation);
        assertThat(stored).extracting(m -> m.getMessage().getRole())
                .containsExactly(Role.ROLE_USER, Role.ROLE_ASSISTANT, Role.ROLE_TOOL, Role.ROLE_ASSISTANT);
        assertThat(stored.get(2).getMessage().getContent()).contains("\"code\":\"cancelled\"");
        assertThat(stored.get(3).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
        assertThat(stored.get(3).getTruncated()).isTrue();
        assertThat(subscriber.getItems()).noneMatch(ChatEvent::hasToolResult);
    }

    @Test
    void theCatalogIsListedOncePerProfileAndConfigVersion() {
        chat(request("Hi"));
        int listed = FakeDownstream.LIST_TOOLS_REQUESTS.size();

        chat(request("Hi again"));

        assertThat(FakeDownstream.LIST_TOOLS_REQUESTS).hasSize(listed);
        assertThat(FakeDownstream.LIST_TOOLS_REQUESTS).allMatch(r -> r.getProfile().equals("tools"));
    }

    @Test
    void aProfileWithoutAllowedToolsOffersNone() {
        ChatRequest request = ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId("alice")
                .setText("Hi").build();

        chat(request);

        assertThat(generated(request).get(0).getToolsList()).isEmpty();
    }
}
