package dev.hearth.router.service;

import dev.hearth.proto.v1.ChatCompleted;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.ChatStarted;
import dev.hearth.proto.v1.ErrorInfo;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.StoredMessage;
import dev.hearth.proto.v1.TextChunk;
import dev.hearth.proto.v1.ToolCall;
import dev.hearth.proto.v1.ToolCallEvent;
import dev.hearth.proto.v1.ToolResultEvent;
import dev.hearth.router.chain.ChainTrace;
import dev.hearth.router.chain.ProviderChain;
import dev.hearth.router.client.ConfigClient;
import dev.hearth.router.config.ToolsConfig;
import dev.hearth.router.history.ConversationHistory;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One chat turn: profile → prompt (system prompt + history + user text) and the profile's tools →
 * the provider chain → client events, ending in exactly one {@code completed} or {@code error} event.
 * <p>
 * A turn is a loop of rounds: when the model's answer asks for tools, each call is reported
 * ({@code tool_call}), run (in parallel, each under its own deadline) and answered
 * ({@code tool_result}, is_error for an unknown tool, arguments breaking its schema, a timeout or a
 * failing tool), and the model is asked again with the calls and results appended. After
 * {@code hearth.router.tools.max-rounds} rounds a model still asking is refused: each call gets an
 * is_error {@code tool_round_limit} result and the turn completes with finish reason
 * {@code tool_calls} (the answer stopped at a request that was not run; it is stored truncated).
 * One {@link ChainTrace} and one usage sum cover every round.
 * <p>
 * Every message of the turn is stored at its end (user text, tool-asking answers, tool results,
 * final answer), the final answer as far as it went when the turn did not finish, with its reason.
 * A stateless turn (the OpenAI-compatible API) brings its conversation as {@code messages}: no
 * history is read or written and no conversation is created. A voice call runs its turns here too,
 * with {@link TurnOptions}: it names the new conversation itself and stores each turn's messages
 * when it knows what the user heard of the answer ({@link TurnRecord}).
 */
@ApplicationScoped
public class ChatOrchestrator {

    private static final Logger LOG = Logger.getLogger(ChatOrchestrator.class);

    private final ConfigClient config;
    private final ConversationHistory history;
    private final ProviderChain chain;
    private final ToolCatalog catalog;
    private final ToolRunner tools;
    private final ToolsConfig toolsConfig;

    public ChatOrchestrator(ConfigClient config, ConversationHistory history, ProviderChain chain, ToolCatalog catalog,
            ToolRunner tools, ToolsConfig toolsConfig) {
        this.config = config;
        this.history = history;
        this.chain = chain;
        this.catalog = catalog;
        this.tools = tools;
        this.toolsConfig = toolsConfig;
    }

    public Multi<ChatEvent> chat(ChatRequest request) {
        return chat(request, TurnOptions.TEXT);
    }

    /** A turn run for another caller (a voice call): see {@link TurnOptions}. Never stateless. */
    public Multi<ChatEvent> chat(ChatRequest request, TurnOptions options) {
        Optional<String> problem = ChatRequestCheck.problem(request);
        if (problem.isPresent()) {
            return Multi.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(problem.get()).asRuntimeException());
        }
        Uni<Turn> turn = config.profile(request.getProfile())
                .chain(profile -> Turn.isStateless(request)
                        ? Uni.createFrom().item(Turn.stateless(request, profile))
                        : storedTurn(request, profile, options))
                .chain(this::withTools);
        return turn.onItem().transformToMulti(this::answer)
                .onFailure().recoverWithItem(ChatOrchestrator::setupError);
    }

    /** A turn of a stored conversation: a new one, or one continued with its recent history. */
    private Uni<Turn> storedTurn(ChatRequest request, dev.hearth.proto.v1.Profile profile, TurnOptions options) {
        if (!options.newConversationId().isBlank() || request.getConversationId().isBlank()) {
            // A new conversation: nothing anywhere yet, so Redis may start its list with this turn.
            String id = options.newConversationId().isBlank() ? UUID.randomUUID().toString() : options.newConversationId();
            return Uni.createFrom().item(new Turn(request, id, profile, List.of(), true, ToolSet.NONE, options));
        }
        String conversationId = request.getConversationId();
        return history.recent(conversationId, Turn.userId(request), profile.getName())
                .map(past -> new Turn(request, conversationId, profile, past.messages(), past.cached(), ToolSet.NONE,
                        options));
    }

    /** The profile's tools; a catalog that cannot be had leaves the turn without tools, not failed. */
    private Uni<Turn> withTools(Turn turn) {
        return catalog.forProfile(turn.profile())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("tools of profile '%s' unavailable, answering without: %s", turn.profile().getName(),
                            failure.getMessage());
                    return ToolSet.NONE;
                })
                .map(turn::withTools);
    }

    private Multi<ChatEvent> answer(Turn turn) {
        if (turn.profile().getTargetsCount() == 0) {
            return Multi.createFrom().item(error("internal", "profile '" + turn.profile().getName() + "' has no provider"));
        }
        ProfileTarget primary = turn.profile().getTargets(0);
        TurnTranscript transcript = new TurnTranscript();
        ChainTrace trace = new ChainTrace();
        ChatEvent started = ChatEvent.newBuilder().setStarted(ChatStarted.newBuilder()
                .setConversationId(turn.conversationId())
                .setProfile(turn.profile().getName())
                .setProvider(primary.getProvider().getName())
                .setModel(primary.getModel())).build();
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(started), round(turn, transcript, trace, 0))
                .onFailure().recoverWithItem(failure -> {
                    ErrorInfo info = ErrorCodes.fromFailure(failure);
                    LOG.debugf("turn of %s failed: %s %s", turn.request().getRequestId(), info.getCode(), info.getMessage());
                    storeInterrupted(turn, transcript, trace, FinishReason.FINISH_REASON_ERROR);
                    return ChatEvent.newBuilder().setError(info).build();
                })
                .onCancellation().invoke(() -> storeInterrupted(turn, transcript, trace, FinishReason.FINISH_REASON_CANCELLED));
    }

    /** One generation, and when it asks for tools, their round and the next generation. */
    private Multi<ChatEvent> round(Turn turn, TurnTranscript transcript, ChainTrace trace, int toolRounds) {
        AnswerRecorder answer = transcript.newAnswer();
        GenerateRequest request = GenerateRequest.newBuilder()
                .setRequestId(turn.request().getRequestId())
                .addAllMessages(turn.messages())
                .addAllMessages(transcript.roundMessages())
                .setParams(turn.params())
                .addAllTools(turn.tools().specs())
                .build();
        return chain.generate(request, turn.profile().getTargetsList(), trace)
                .onItem().transformToMultiAndConcatenate(event -> switch (event.getEventCase()) {
                    case TEXT -> {
                        answer.appendText(event.getText().getText());
                        yield Multi.createFrom().item(ChatEvent.newBuilder()
                                .setText(TextChunk.newBuilder().setText(event.getText().getText())).build());
                    }
                    case TOOL_CALL -> {
                        answer.appendToolCall(event.getToolCall());
                        yield Multi.createFrom().<ChatEvent>empty();
                    }
                    case DONE -> answered(event.getDone(), turn, transcript, trace, answer, toolRounds);
                    default -> Multi.createFrom().<ChatEvent>empty();
                });
    }

    private Multi<ChatEvent> answered(GenerateDone done, Turn turn, TurnTranscript transcript, ChainTrace trace,
            AnswerRecorder answer, int toolRounds) {
        transcript.used(done.getUsage());
        String provider = done.getProvider().isEmpty() ? trace.current().getProvider().getName() : done.getProvider();
        String model = done.getModel().isEmpty() ? trace.current().getModel() : done.getModel();
        List<ToolCall> calls = answer.toolCalls();
        if (calls.isEmpty() || !asksForTools(done.getFinishReason())) {
            // Calls of an answer cut by its length are unfinished: they are neither run nor stored.
            return complete(turn, transcript, trace, done.getFinishReason(), provider, model,
                    answer.asStored(done.getFinishReason(), provider, model, false));
        }
        List<ChatEvent> asked = calls.stream()
                .map(call -> ChatEvent.newBuilder().setToolCall(ToolCallEvent.newBuilder().setCall(call)).build())
                .toList();
        if (toolRounds >= toolsConfig.maxRounds()) {
            StoredMessage refused = answer.asStored(FinishReason.FINISH_REASON_TOOL_CALLS, provider, model, true)
                    .toBuilder().setTruncated(true).build();
            transcript.toolsAsked(refused, calls);
            List<ChatEvent> events = new ArrayList<>(asked);
            for (ToolCall call : calls) {
                ToolResultEvent result = ToolRunner.error(call, ToolRunner.ROUND_LIMIT,
                        "not run: this turn reached its limit of " + toolsConfig.maxRounds() + " tool rounds");
                transcript.toolAnswered(result);
                events.add(resultEvent(result));
            }
            transcript.toolsDone();
            return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(events),
                    complete(turn, transcript, trace, FinishReason.FINISH_REASON_TOOL_CALLS, provider, model, null));
        }
        transcript.toolsAsked(answer.asStored(FinishReason.FINISH_REASON_TOOL_CALLS, provider, model, true), calls);
        // Results stream as each call ends; cancelling the turn cancels the calls still running.
        Multi<ChatEvent> results = Multi.createBy().merging().streams(calls.stream()
                .map(call -> tools.run(call, turn.tools(), turn)
                        .invoke(transcript::toolAnswered)
                        .map(ChatOrchestrator::resultEvent)
                        .toMulti())
                .toList());
        Multi<ChatEvent> next = Multi.createFrom().deferred(() -> {
            transcript.toolsDone();
            return round(turn, transcript, trace, toolRounds + 1);
        });
        return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(asked), results, next);
    }

    /** Stores the finished turn before announcing it, so the next turn's history already has it. */
    private Multi<ChatEvent> complete(Turn turn, TurnTranscript transcript, ChainTrace trace, FinishReason reason,
            String provider, String model, StoredMessage last) {
        ChatEvent completed = ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                .setFinishReason(reason)
                .setUsage(transcript.usage())
                .setProvider(provider)
                .setModel(model)
                .setConversationId(turn.conversationId())
                .addAllHandovers(trace.handovers())
                .setAttempts(trace.attempts())).build();
        Uni<Void> stored = transcript.end() ? store(turn, transcript.finished(last)) : Uni.createFrom().voidItem();
        return stored.onItem().transformToMulti(ignored -> Multi.createFrom().item(completed));
    }

    private void storeInterrupted(Turn turn, TurnTranscript transcript, ChainTrace trace, FinishReason reason) {
        if (transcript.end()) {
            ProfileTarget target = trace.current() != null ? trace.current() : turn.profile().getTargets(0);
            store(turn, transcript.interrupted(reason, target.getProvider().getName(), target.getModel()))
                    .subscribe().with(ignored -> { }, failure -> { });
        }
    }

    private Uni<Void> store(Turn turn, List<StoredMessage> answer) {
        if (turn.stateless()) {
            return Uni.createFrom().voidItem(); // the caller keeps the conversation
        }
        List<StoredMessage> messages = new ArrayList<>(answer.size() + 1);
        messages.add(StoredMessage.newBuilder().setMessage(turn.userMessage()).build());
        messages.addAll(answer);
        TurnRecord record = new TurnRecord(messages, chosen -> history.append(turn.conversationId(), turn.userId(),
                turn.profile().getName(), chosen, turn.pastCached()));
        if (turn.options().deferredStore() != null) {
            turn.options().deferredStore().accept(record); // the caller stores it when it knows what was heard
            return Uni.createFrom().voidItem();
        }
        return record.store();
    }

    /** Providers differ: some end an answer with calls as "tool_calls", some as "stop". */
    private static boolean asksForTools(FinishReason reason) {
        return reason == FinishReason.FINISH_REASON_TOOL_CALLS || reason == FinishReason.FINISH_REASON_STOP
                || reason == FinishReason.FINISH_REASON_UNSPECIFIED;
    }

    private static ChatEvent resultEvent(ToolResultEvent result) {
        return ChatEvent.newBuilder().setToolResult(result).build();
    }

    /** A failure before generation started: the profile or history could not be had. */
    public static ChatEvent setupError(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return switch (status.getCode()) {
            case NOT_FOUND, INVALID_ARGUMENT -> error("invalid_message", status.getDescription());
            case PERMISSION_DENIED -> error("forbidden", status.getDescription());
            case DEADLINE_EXCEEDED -> error("timeout", "configuration service did not answer in time");
            case UNAVAILABLE -> error("internal", "configuration service unavailable: " + status.getDescription());
            default -> error("internal", String.valueOf(status.getDescription()));
        };
    }

    private static ChatEvent error(String code, String message) {
        return ChatEvent.newBuilder().setError(ErrorInfo.newBuilder().setCode(code).setMessage(message)).build();
    }
}
