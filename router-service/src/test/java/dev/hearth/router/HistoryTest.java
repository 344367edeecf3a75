package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.grpc.GrpcStreams;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.GetHistoryRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.RouterGrpc;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.router.history.RecentMessages;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recent history in a real Redis (a key prefix of this class's own), PostgreSQL faked behind mcp-config. */
@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
@QuarkusTestResource(RedisTestResource.class)
class HistoryTest {

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @GrpcClient("self")
    io.grpc.Channel channel;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @Inject
    RecentMessages redis;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
    }

    private List<ChatEvent> chat(ChatRequest request) {
        return router.chat(Multi.createFrom().item(request)).collect().asList().await().atMost(Duration.ofSeconds(10));
    }

    private static ChatRequest request(String user, String conversation, String text) {
        return ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId(user)
                .setConversationId(conversation).setText(text).build();
    }

    private static GenerateRequest generated(ChatRequest request) {
        return FakeDownstream.GENERATE_REQUESTS.stream().filter(r -> r.getRequestId().equals(request.getRequestId()))
                .findFirst().orElseThrow();
    }

    private static long postgresReads(String conversation) {
        return FakeDownstream.GET_HISTORY_REQUESTS.stream().filter(r -> r.getConversationId().equals(conversation)).count();
    }

    private List<StoredMessage> inRedis(String conversation) {
        return redis.read(conversation).await().atMost(Duration.ofSeconds(5)).orElseThrow().messages();
    }

    private static StoredMessage stored(Role role, String text, FinishReason reason) {
        return StoredMessage.newBuilder().setMessage(ChatMessage.newBuilder().setRole(role).setContent(text))
                .setFinishReason(reason).build();
    }

    @Test
    void aContinuedConversationIsReadFromRedisWithoutAskingPostgres() {
        String conversation = chat(request("alice", "", "first question")).get(0).getStarted().getConversationId();
        assertThat(inRedis(conversation)).extracting(m -> m.getMessage().getContent())
                .containsExactly("first question", "One two three");

        ChatRequest second = request("alice", conversation, "second question");
        chat(second);

        assertThat(postgresReads(conversation)).isZero();
        assertThat(generated(second).getMessagesList()).extracting(m -> m.getRole() + ":" + m.getContent()).containsExactly(
                "ROLE_SYSTEM:Be brief.", "ROLE_USER:first question", "ROLE_ASSISTANT:One two three",
                "ROLE_USER:second question");
        // both sides, with the finish reason, in both stores
        List<StoredMessage> cached = inRedis(conversation);
        assertThat(cached).extracting(m -> m.getMessage().getContent())
                .containsExactly("first question", "One two three", "second question", "One two three");
        assertThat(cached.get(3).getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_STOP);
        assertThat(cached.get(3).getModel()).isEqualTo("fake-model-v2");
        assertThat(FakeDownstream.HISTORY.get(conversation)).containsExactlyElementsOf(cached);
    }

    @Test
    void whenRedisHasNothingPostgresIsReadAndRedisRefilled() {
        String conversation = "c-" + UUID.randomUUID();
        FakeDownstream.OWNERS.put(conversation, "alice");
        FakeDownstream.HISTORY.put(conversation, new CopyOnWriteArrayList<>(List.of(
                // the window starts inside an older tool round: that result must not reach the model
                StoredMessage.newBuilder().setMessage(ChatMessage.newBuilder().setRole(Role.ROLE_TOOL)
                        .setToolCallId("old").setContent("{}")).build(),
                stored(Role.ROLE_USER, "earlier question", FinishReason.FINISH_REASON_UNSPECIFIED),
                stored(Role.ROLE_ASSISTANT, "earlier answer", FinishReason.FINISH_REASON_STOP))));

        ChatRequest request = request("alice", conversation, "new question");
        chat(request);

        assertThat(postgresReads(conversation)).isEqualTo(1);
        assertThat(FakeDownstream.GET_HISTORY_REQUESTS).filteredOn(r -> r.getConversationId().equals(conversation))
                .extracting(GetHistoryRequest::getUserId).as("mcp-config checks the reader too").containsExactly("alice");
        assertThat(generated(request).getMessagesList()).extracting(m -> m.getRole() + ":" + m.getContent()).containsExactly(
                "ROLE_SYSTEM:Be brief.", "ROLE_USER:earlier question", "ROLE_ASSISTANT:earlier answer",
                "ROLE_USER:new question");
        assertThat(inRedis(conversation)).extracting(m -> m.getMessage().getContent())
                .containsExactly("{}", "earlier question", "earlier answer", "new question", "One two three");

        chat(request("alice", conversation, "third question"));
        assertThat(postgresReads(conversation)).isEqualTo(1);
    }

    @Test
    void aCancelledAnswerIsStoredTruncatedInBothStores() {
        AssertSubscriber<ChatEvent> subscriber = GrpcStreams
                .openRequestStream(request("alice", "", "endless"), RouterGrpc.newStub(channel)::chat)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        subscriber.awaitItems(3, Duration.ofSeconds(5));
        String conversation = subscriber.getItems().get(0).getStarted().getConversationId();
        subscriber.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> redis.read(conversation).await().indefinitely().isPresent());
        StoredMessage answer = inRedis(conversation).get(1);
        assertThat(answer.getFinishReason()).isEqualTo(FinishReason.FINISH_REASON_CANCELLED);
        assertThat(answer.getTruncated()).isTrue();
        assertThat(answer.getMessage().getContent()).startsWith("w0 w1 ");
        assertThat(FakeDownstream.HISTORY.get(conversation).get(1)).isEqualTo(answer);
    }

    @Test
    void anotherUsersConversationCanBeNeitherReadNorContinuedFromRedis() {
        String conversation = chat(request("alice", "", "my secret")).get(0).getStarted().getConversationId();

        ChatRequest mallory = request("mallory", conversation, "what did alice say?");
        List<ChatEvent> events = chat(mallory);

        assertThat(events).singleElement().satisfies(e -> assertThat(e.getError().getCode()).isEqualTo("forbidden"));
        assertThat(FakeDownstream.GENERATE_REQUESTS).noneMatch(r -> r.getRequestId().equals(mallory.getRequestId()));
        assertThat(FakeDownstream.HISTORY.get(conversation)).hasSize(2);
    }

    @Test
    void anotherUsersConversationCanBeNeitherReadNorContinuedFromPostgres() {
        String conversation = "c-" + UUID.randomUUID();
        FakeDownstream.OWNERS.put(conversation, "alice");
        FakeDownstream.HISTORY.put(conversation, new CopyOnWriteArrayList<>(List.of(
                stored(Role.ROLE_USER, "my secret", FinishReason.FINISH_REASON_UNSPECIFIED))));

        ChatRequest mallory = request("mallory", conversation, "what did alice say?");
        List<ChatEvent> events = chat(mallory);

        assertThat(events).singleElement().satisfies(e -> assertThat(e.getError().getCode()).isEqualTo("forbidden"));
        assertThat(postgresReads(conversation)).isZero();
        assertThat(FakeDownstream.GENERATE_REQUESTS).noneMatch(r -> r.getRequestId().equals(mallory.getRequestId()));
    }
}
