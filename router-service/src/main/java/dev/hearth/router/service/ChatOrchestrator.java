package dev.hearth.router.service;

import dev.hearth.proto.v1.AppendMessagesRequest;
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
import dev.hearth.proto.v1.ToolCallEvent;
import dev.hearth.router.client.ConfigClient;
import dev.hearth.router.client.HistoryClient;
import dev.hearth.router.chain.ChainTrace;
import dev.hearth.router.chain.ProviderChain;
import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One chat turn: profile → prompt (system prompt + history + user text) → the profile's provider
 * → client events, ending in exactly one {@code completed} or {@code error} event; both sides of the
 * turn are stored, the answer as far as it went when the turn did not finish.
 * A stateless turn (the OpenAI-compatible API) brings its conversation as {@code messages}: no
 * history is read or written and no conversation is created.
 */
@ApplicationScoped
public class ChatOrchestrator {

    private static final Logger LOG = Logger.getLogger(ChatOrchestrator.class);

    private final ConfigClient config;
    private final HistoryClient history;
    private final ProviderChain chain;

    public ChatOrchestrator(ConfigClient config, HistoryClient history, ProviderChain chain) {
        this.config = config;
        this.history = history;
        this.chain = chain;
    }

    public Multi<ChatEvent> chat(ChatRequest request) {
        Optional<String> problem = ChatRequestCheck.problem(request);
        if (problem.isPresent()) {
            return Multi.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(problem.get()).asRuntimeException());
        }
        Uni<Turn> turn = Turn.isStateless(request)
                ? config.profile(request.getProfile()).map(profile -> Turn.stateless(request, profile))
                : storedTurn(request);
        return turn.onItem().transformToMulti(this::answer)
                .onFailure().recoverWithItem(ChatOrchestrator::setupError);
    }

    /** A turn of a stored conversation: a new one, or one continued with its recent history. */
    private Uni<Turn> storedTurn(ChatRequest request) {
        boolean continuing = !request.getConversationId().isBlank();
        String conversationId = continuing ? request.getConversationId() : UUID.randomUUID().toString();
        return config.profile(request.getProfile())
                .chain(profile -> (continuing ? history.recent(conversationId) : Uni.createFrom().item(List.<StoredMessage>of()))
                        .map(past -> new Turn(request, conversationId, profile, past)));
    }

    private Multi<ChatEvent> answer(Turn turn) {
        if (turn.profile().getTargetsCount() == 0) {
            return Multi.createFrom().item(error("internal", "profile '" + turn.profile().getName() + "' has no provider"));
        }
        ProfileTarget target = turn.profile().getTargets(0);
        AnswerRecorder answer = new AnswerRecorder();
        ChainTrace trace = new ChainTrace();
        ChatEvent started = ChatEvent.newBuilder().setStarted(ChatStarted.newBuilder()
                .setConversationId(turn.conversationId())
                .setProfile(turn.profile().getName())
                .setProvider(target.getProvider().getName())
                .setModel(target.getModel())).build();
        Multi<ChatEvent> body = chain.generate(generateRequest(turn), turn.profile().getTargetsList(), trace)
                .onItem().transformToMultiAndConcatenate(event -> toChatEvents(event, turn, target, answer, trace));
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(started), body)
                .onFailure().recoverWithItem(failure -> {
                    ErrorInfo info = ErrorCodes.fromFailure(failure);
                    LOG.debugf("turn of %s failed: %s %s", turn.request().getRequestId(), info.getCode(), info.getMessage());
                    storeLater(turn, answer, FinishReason.FINISH_REASON_ERROR, target);
                    return ChatEvent.newBuilder().setError(info).build();
                })
                .onCancellation().invoke(() -> storeLater(turn, answer, FinishReason.FINISH_REASON_CANCELLED, target));
    }

    private Multi<ChatEvent> toChatEvents(GenerateEvent event, Turn turn, ProfileTarget target, AnswerRecorder answer,
            ChainTrace trace) {
        return switch (event.getEventCase()) {
            case TEXT -> {
                answer.appendText(event.getText().getText());
                yield Multi.createFrom().item(ChatEvent.newBuilder()
                        .setText(TextChunk.newBuilder().setText(event.getText().getText())).build());
            }
            case TOOL_CALL -> {
                answer.appendToolCall(event.getToolCall());
                yield Multi.createFrom().empty();
            }
            case DONE -> Multi.createFrom().uni(finish(event.getDone(), turn, target, answer, trace))
                    .onItem().transformToIterable(events -> events);
            default -> Multi.createFrom().empty();
        };
    }

    /** Stores the finished turn before announcing it, so the next turn's history already has it. */
    private Uni<List<ChatEvent>> finish(GenerateDone done, Turn turn, ProfileTarget target, AnswerRecorder answer,
            ChainTrace trace) {
        String provider = done.getProvider().isEmpty() ? target.getProvider().getName() : done.getProvider();
        String model = done.getModel().isEmpty() ? target.getModel() : done.getModel();
        ChatEvent completed = ChatEvent.newBuilder().setCompleted(ChatCompleted.newBuilder()
                .setFinishReason(done.getFinishReason())
                .setUsage(done.getUsage())
                .setProvider(provider)
                .setModel(model)
                .setConversationId(turn.conversationId())
                .addAllHandovers(trace.handovers())
                .setAttempts(trace.attempts())).build();
        List<ChatEvent> toolCalls = answer.toolCalls().stream()
                .map(call -> ChatEvent.newBuilder().setToolCall(ToolCallEvent.newBuilder().setCall(call)).build())
                .toList();
        Uni<Void> stored = answer.end() ? store(turn, answer.asStored(done.getFinishReason(), provider, model))
                : Uni.createFrom().voidItem();
        return stored.map(ignored -> {
            List<ChatEvent> events = new java.util.ArrayList<>(toolCalls);
            events.add(completed);
            return events;
        });
    }

    private void storeLater(Turn turn, AnswerRecorder answer, FinishReason reason, ProfileTarget target) {
        if (answer.end()) {
            store(turn, answer.asStored(reason, target.getProvider().getName(), target.getModel()))
                    .subscribe().with(ignored -> { }, failure -> { });
        }
    }

    private Uni<Void> store(Turn turn, StoredMessage assistant) {
        if (turn.stateless()) {
            return Uni.createFrom().voidItem(); // the caller keeps the conversation
        }
        AppendMessagesRequest request = AppendMessagesRequest.newBuilder()
                .setConversationId(turn.conversationId())
                .setUserId(turn.userId())
                .setProfile(turn.profile().getName())
                .addMessages(StoredMessage.newBuilder().setMessage(turn.userMessage()))
                .addMessages(assistant)
                .build();
        return history.append(request)
                .onFailure().invoke(f -> LOG.warnf("history of conversation %s not stored: %s",
                        turn.conversationId(), f.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static GenerateRequest generateRequest(Turn turn) {
        return GenerateRequest.newBuilder()
                .setRequestId(turn.request().getRequestId())
                .addAllMessages(turn.messages())
                .setParams(turn.params())
                .build();
    }

    /** A failure before generation started: the profile or history could not be had. */
    private static ChatEvent setupError(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return switch (status.getCode()) {
            case NOT_FOUND, INVALID_ARGUMENT -> error("invalid_message", status.getDescription());
            case DEADLINE_EXCEEDED -> error("timeout", "configuration service did not answer in time");
            case UNAVAILABLE -> error("internal", "configuration service unavailable: " + status.getDescription());
            default -> error("internal", String.valueOf(status.getDescription()));
        };
    }

    private static ChatEvent error(String code, String message) {
        return ChatEvent.newBuilder().setError(ErrorInfo.newBuilder().setCode(code).setMessage(message)).build();
    }
}
