package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis is only the router's cache of recent history: with no Redis at all, turns are answered, the
 * conversation is read from PostgreSQL (through mcp-config) every time, and both sides are stored there.
 */
@QuarkusTest
@QuarkusTestResource(FakeDownstream.class)
@TestProfile(HistoryWithoutRedisTest.NoRedis.class)
class HistoryWithoutRedisTest {

    /** A Redis address where nothing listens. */
    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hearth.redis.url", "redis://127.0.0.1:1", "hearth.router.history.redis-timeout", "300ms");
        }
    }

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int downstreamPort;

    @BeforeEach
    void startFakes() {
        FakeDownstream.ensureStarted(downstreamPort);
    }

    private List<ChatEvent> chat(ChatRequest request) {
        return router.chat(Multi.createFrom().item(request)).collect().asList().await().atMost(Duration.ofSeconds(15));
    }

    private static ChatRequest request(String conversation, String text) {
        return ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setUserId("alice")
                .setConversationId(conversation).setText(text).build();
    }

    @Test
    void turnsAreAnsweredAndRememberedThroughPostgresWhenRedisIsDown() {
        List<ChatEvent> first = chat(request("", "first question"));
        ChatEvent done = first.get(first.size() - 1);
        assertThat(done.getCompleted().getFinishReason()).as("%s", first).isEqualTo(FinishReason.FINISH_REASON_STOP);
        String conversation = done.getCompleted().getConversationId();

        ChatRequest second = request(conversation, "second question");
        List<ChatEvent> answered = chat(second);
        assertThat(answered.get(answered.size() - 1).hasCompleted()).as("%s", answered).isTrue();

        GenerateRequest generated = FakeDownstream.GENERATE_REQUESTS.stream()
                .filter(r -> r.getRequestId().equals(second.getRequestId())).findFirst().orElseThrow();
        assertThat(generated.getMessagesList()).extracting(m -> m.getRole() + ":" + m.getContent()).containsExactly(
                "ROLE_SYSTEM:Be brief.", "ROLE_USER:first question", "ROLE_ASSISTANT:One two three",
                "ROLE_USER:second question");
        assertThat(FakeDownstream.GET_HISTORY_REQUESTS).filteredOn(r -> r.getConversationId().equals(conversation))
                .as("read from PostgreSQL, as Redis has nothing").hasSize(1);
        assertThat(FakeDownstream.HISTORY.get(conversation)).extracting(m -> m.getMessage().getContent())
                .containsExactly("first question", "One two three", "second question", "One two three");
    }
}
