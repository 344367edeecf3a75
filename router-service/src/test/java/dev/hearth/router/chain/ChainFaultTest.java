package dev.hearth.router.chain;

import static dev.hearth.router.chain.FakeLlmAdapter.ANSWER;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.answer;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.failAfter;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.hang;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.stallAfter;
import static dev.hearth.router.chain.FakeLlmAdapter.Step.toolCallOnly;
import static dev.hearth.router.chain.FakeLlmAdapter.firstTokens;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.RESOURCE_EXHAUSTED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static io.grpc.Status.Code.UNAVAILABLE;
import static io.grpc.Status.Code.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.Handover;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import dev.hearth.proto.v1.Role;
import dev.hearth.router.chain.FakeLlmAdapter.Step;
import dev.hearth.router.chain.FakeLlmAdapter.Target;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream faults, one row each, through the router's gRPC Chat API against a scripted adapter:
 * what the client receives (all of the answer, nothing twice), how the turn ends, and how many calls
 * each target got.
 */
@QuarkusTest
@TestProfile(ChainFaultProfile.class)
class ChainFaultTest {

    private static final int ALL = ChainFaultProfile.MAX_ATTEMPTS;

    @GrpcClient("self")
    MutinyRouterGrpc.MutinyRouterStub router;

    @ConfigProperty(name = "hearth.config.port")
    int adapterPort;

    @BeforeEach
    void startFake() {
        FakeLlmAdapter.ensureStarted(adapterPort);
    }

    /**
     * A fault scenario: targets {@code a} (and {@code b}) with their scripts, then what the client
     * must see: the text, the end (a finish reason, or an error code), handovers as
     * "from>to reason @after_chars", and calls per target.
     */
    record Row(String name, List<Step> a, List<Step> b, String text, Object end, List<String> handovers,
            int callsA, int callsB) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, Step a, Step b, String text, Object end, List<String> handovers,
            int callsA, int callsB) {
        return new Row(name, List.of(a), b == null ? null : List.of(b), text, end, handovers, callsA, callsB);
    }

    private static int chars(String text) {
        return text.codePointCount(0, text.length());
    }

    static Stream<Row> rows() {
        FinishReason stop = FinishReason.FINISH_REASON_STOP;
        FinishReason incomplete = FinishReason.FINISH_REASON_INCOMPLETE;
        Step down = failAfter(0, UNAVAILABLE, "provider 'a' answered HTTP 503");
        return Stream.of(
                row("fails after 0 tokens: retried, then the next target", down, answer(),
                        ANSWER, stop, List.of("a>b provider_unavailable @0"), ALL, 1),
                row("fails after 1 token: the next target continues, restarting the last word",
                        failAfter(1, UNAVAILABLE, "provider 'a' failed mid-stream"), answer().repeatingWords(1),
                        ANSWER, stop, List.of("a>b provider_unavailable @" + chars(firstTokens(1))), 1, 1),
                row("fails after 50 tokens: the next target continues, restarting three words",
                        failAfter(50, UNAVAILABLE, "provider 'a' failed mid-stream"), answer().repeatingWords(3),
                        ANSWER, stop, List.of("a>b provider_unavailable @" + chars(firstTokens(50))), 1, 1),
                row("fails after 50 tokens and nobody can continue: incomplete, never an error",
                        failAfter(50, UNAVAILABLE, "provider 'a' failed mid-stream"), down,
                        firstTokens(50), incomplete, List.of("a>b provider_unavailable @" + chars(firstTokens(50))),
                        1, ALL),
                row("only target fails mid-stream: incomplete",
                        failAfter(10, UNAVAILABLE, "provider 'a' failed mid-stream"), null,
                        firstTokens(10), incomplete, List.of(), 1, 0),
                new Row("429 with Retry-After within the cap: waited for, then answered",
                        List.of(failAfter(0, RESOURCE_EXHAUSTED, "provider 'a' answered HTTP 429").retryAfter(300),
                                answer()), List.of(answer()), ANSWER, stop, List.of(), 2, 0),
                row("429 with Retry-After beyond the cap: the next target at once",
                        failAfter(0, RESOURCE_EXHAUSTED, "provider 'a' answered HTTP 429").retryAfter(60_000), answer(),
                        ANSWER, stop, List.of("a>b rate_limited @0"), 1, 1),
                new Row("503 three times, then success on the same target",
                        List.of(down, down, down, answer()), List.of(answer()), ANSWER, stop, List.of(), 4, 0),
                new Row("first token slower than its timeout: retried",
                        List.of(answer().firstTokenAfter(3_000), answer()), List.of(answer()),
                        ANSWER, stop, List.of(), 2, 0),
                row("idle gap mid-stream: the next target continues",
                        stallAfter(3), answer().repeatingWords(2),
                        ANSWER, stop, List.of("a>b timeout @" + chars(firstTokens(3))), 1, 1),
                row("connection reset mid-stream (UNAVAILABLE): the next target continues",
                        failAfter(5, UNAVAILABLE, "connection to provider 'a' failed: Connection reset by peer"),
                        answer(), ANSWER, stop, List.of("a>b provider_unavailable @" + chars(firstTokens(5))), 1, 1),
                row("malformed SSE (UNKNOWN): not retried, the next target",
                        failAfter(0, UNKNOWN, "provider 'a' sent malformed data: an event is not JSON: {oops"), answer(),
                        ANSWER, stop, List.of("a>b provider_error @0"), 1, 1),
                row("a provider that never answers: each call times out, then the next target",
                        hang(), answer(), ANSWER, stop, List.of("a>b timeout @0"), ALL, 1),
                row("bad key: not retried, the next target",
                        failAfter(0, UNAUTHENTICATED, "provider 'a' answered HTTP 401"), answer(),
                        ANSWER, stop, List.of("a>b provider_error @0"), 1, 1),
                row("provider rejects the request (HTTP 400): the next target may not",
                        failAfter(0, INVALID_ARGUMENT, "provider 'a' answered HTTP 400: context too long"), answer(),
                        ANSWER, stop, List.of("a>b provider_error @0"), 1, 1),
                row("the request itself is invalid: no target would take it",
                        failAfter(0, INVALID_ARGUMENT, "messages[1] has role tool but no tool_call_id"), answer(),
                        "", "invalid_message", List.of(), 1, 0),
                row("all providers down: provider_unavailable", down, down,
                        "", "provider_unavailable", List.of(), ALL, ALL),
                new Row("a failed call's tool call fragments are never seen",
                        List.of(failAfter(0, UNAVAILABLE, "provider 'a' answered HTTP 503").withToolCall(), toolCallOnly()),
                        List.of(answer()), "", FinishReason.FINISH_REASON_TOOL_CALLS, List.of(), 2, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void faultRow(Row row) {
        String id = row.name().replaceAll("[^a-z0-9]+", "-");
        Target a = new Target("p-" + id + "-a", id + "-a", row.a().toArray(Step[]::new));
        List<Target> targets = new ArrayList<>(List.of(a));
        if (row.b() != null) {
            targets.add(new Target("p-" + id + "-b", id + "-b", row.b().toArray(Step[]::new)));
        }
        FakeLlmAdapter.profile(id, targets.toArray(Target[]::new));
        ChatRequest request = ChatRequest.newBuilder().setRequestId("r-" + UUID.randomUUID()).setProfile(id)
                .addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_USER).setContent("Tell me about Hearth."))
                .build();

        List<ChatEvent> events = router.chat(Multi.createFrom().item(request)).collect().asList()
                .await().atMost(Duration.ofSeconds(30));

        assertThat(events.get(0).hasStarted()).isTrue();
        String text = events.stream().filter(ChatEvent::hasText).map(e -> e.getText().getText())
                .collect(Collectors.joining());
        assertThat(text).as("text the client received").isEqualTo(row.text());
        ChatEvent last = events.get(events.size() - 1);
        if (row.end() instanceof String code) {
            assertThat(last.getError().getCode()).isEqualTo(code);
        } else {
            assertThat(last.hasCompleted()).as("completed, not %s", last).isTrue();
            assertThat(last.getCompleted().getFinishReason()).isEqualTo(row.end());
            assertThat(last.getCompleted().getHandoversList()).extracting(ChainFaultTest::describe)
                    .containsExactlyElementsOf(row.handovers());
            assertThat(last.getCompleted().getAttempts()).isEqualTo(row.callsA() + row.callsB());
        }
        Map<String, Integer> calls = new LinkedHashMap<>();
        targets.forEach(t -> calls.put(t.model(), FakeLlmAdapter.requests(request.getRequestId(), t.model()).size()));
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put(a.model(), row.callsA());
        if (row.b() != null) {
            expected.put(id + "-b", row.callsB());
        }
        assertThat(calls).as("calls per target").isEqualTo(expected);
        assertContinuationsGotThePartialAnswer(request.getRequestId(), text);
        long hint = row.a().get(0).retryAfterMs();
        if (row.callsA() > 1 && hint > 0) {
            List<Long> arrivals = FakeLlmAdapter.ARRIVALS.get(request.getRequestId() + "/" + a.model());
            assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).as("waited for Retry-After")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(hint));
        }
        if (row.end() == FinishReason.FINISH_REASON_TOOL_CALLS) {
            assertThat(events.stream().filter(ChatEvent::hasToolCall).map(e -> e.getToolCall().getCall()))
                    .singleElement().satisfies(call -> {
                        assertThat(call.getName()).isEqualTo("weather");
                        assertThat(call.getArgumentsJson()).isEqualTo("{\"city\":\"Paris\"}");
                    });
        }
    }

    /** A continuing call carries exactly what the client had seen, as an assistant message to continue. */
    private static void assertContinuationsGotThePartialAnswer(String requestId, String received) {
        for (GenerateRequest call : FakeLlmAdapter.REQUESTS) {
            if (!call.getRequestId().equals(requestId)) {
                continue;
            }
            ChatMessage last = call.getMessages(call.getMessagesCount() - 1);
            if (call.getContinueFinalMessage()) {
                assertThat(last.getRole()).isEqualTo(Role.ROLE_ASSISTANT);
                assertThat(received).startsWith(last.getContent());
                assertThat(last.getContent()).isNotEmpty();
            } else {
                assertThat(last.getRole()).isEqualTo(Role.ROLE_USER);
            }
        }
    }

    private static String describe(Handover handover) {
        return modelTag(handover.getFromModel()) + ">" + modelTag(handover.getToModel()) + " " + handover.getReason()
                + " @" + handover.getAfterChars();
    }

    private static String modelTag(String model) {
        return model.substring(model.length() - 1);
    }
}
