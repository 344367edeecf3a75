package dev.hearth.router.chain;

import dev.hearth.proto.v1.ChatMessage;
import dev.hearth.proto.v1.FinishReason;
import dev.hearth.proto.v1.GenerateDone;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.Handover;
import dev.hearth.proto.v1.ProfileTarget;
import dev.hearth.proto.v1.Role;
import dev.hearth.proto.v1.TextDelta;
import dev.hearth.router.client.LlmClient;
import dev.hearth.router.config.ChainConfig;
import dev.hearth.router.service.ErrorCodes;
import io.grpc.Metadata;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One generation walking a profile's targets: retries on a target while its call has sent the caller
 * nothing, the next target when it gives up, a continuation of the partial answer when one failed
 * mid-way. One call is in flight at a time; every callback checks it still belongs to the current
 * call, since a cancelled one may still report.
 */
final class ChainRun {

    private static final Logger LOG = Logger.getLogger(ChainRun.class);
    private static final Duration PROBE_HINT = Duration.ofSeconds(1);

    /** What ProviderChain lends every run. */
    record Tools(LlmClient llm, CircuitBreakers circuits, RetryBudget budget, ChainMetrics metrics, ChainConfig config) {
    }

    private final GenerateRequest request;
    private final List<ProfileTarget> targets;
    private final ChainTrace trace;
    private final Tools tools;
    private final MultiEmitter<? super GenerateEvent> out;

    /** Answer text the caller has received, over all calls. */
    private final StringBuilder sent = new StringBuilder();
    /** The target whose text the caller saw last: DONE names it when nobody could continue. */
    private ProfileTarget lastSpeaker;
    private Attempt current;
    /** The backoff wait before a retry, while there is one. */
    private Cancellable waiting;
    private Throwable lastFailure;
    private boolean ended;

    ChainRun(GenerateRequest request, List<ProfileTarget> targets, ChainTrace trace, Tools tools,
            MultiEmitter<? super GenerateEvent> out) {
        this.request = request;
        this.targets = targets;
        this.trace = trace;
        this.tools = tools;
        this.out = out;
    }

    synchronized void start() {
        out.onTermination(this::stop);
        tools.budget().deposit();
        moveTo(0, null, null, null);
    }

    /** One call to one target. */
    private final class Attempt {
        final int index;
        final int number;
        final ProfileTarget target;
        final ProviderCircuit.Permit permit;
        final OverlapTrimmer trimmer;
        final long startedAt = System.nanoTime();
        final List<GenerateEvent> toolCalls = new ArrayList<>();
        Cancellable call;
        long firstTokenAt;
        boolean spoke;
        GenerateDone done;

        Attempt(int index, int number, ProviderCircuit.Permit permit) {
            this.index = index;
            this.number = number;
            this.target = targets.get(index);
            this.permit = permit;
            this.trimmer = sent.isEmpty() ? null : new OverlapTrimmer(sent,
                    tools.config().overlap().window(), tools.config().overlap().minChars());
        }
    }

    /**
     * Starts the first target from {@code index} whose circuit lets a call through, recording the
     * handover from {@code from} (the target left, with why) when there is one.
     */
    private void moveTo(int index, ProfileTarget from, String reason, String message) {
        for (int i = index; i < targets.size(); i++) {
            ProfileTarget target = targets.get(i);
            ProviderCircuit.Permit permit = tools.circuits().tryAcquire(target.getProvider().getName());
            if (permit != null) {
                if (from != null) {
                    handover(from, target, reason, message);
                }
                call(new Attempt(i, 1, permit));
                return;
            }
            if (from == null) {
                from = target;
                reason = "provider_unavailable";
                message = "provider '" + target.getProvider().getName() + "' is cooling down after failures";
            }
        }
        giveUp();
    }

    private void handover(ProfileTarget from, ProfileTarget to, String reason, String message) {
        trace.handover(Handover.newBuilder()
                .setFromProvider(from.getProvider().getName()).setFromModel(from.getModel())
                .setToProvider(to.getProvider().getName()).setToModel(to.getModel())
                .setReason(reason).setMessage(message == null ? "" : message)
                .setAfterChars(sent.codePointCount(0, sent.length()))
                .build());
        tools.metrics().fallback(from, reason);
    }

    private void call(Attempt attempt) {
        current = attempt;
        trace.attempt(attempt.target);
        GenerateRequest.Builder call = request.toBuilder()
                .setProvider(attempt.target.getProvider()).setModel(attempt.target.getModel());
        if (!sent.isEmpty()) {
            // The partial answer as the model's own words, to be continued where it stops.
            call.addMessages(ChatMessage.newBuilder().setRole(Role.ROLE_ASSISTANT).setContent(sent.toString()))
                    .setContinueFinalMessage(true);
        }
        attempt.call = tools.llm().generate(call.build()).subscribe().with(
                event -> onEvent(attempt, event),
                failure -> onFailure(attempt, failure),
                () -> onComplete(attempt));
    }

    private synchronized void onEvent(Attempt attempt, GenerateEvent event) {
        if (attempt != current || ended) {
            return;
        }
        switch (event.getEventCase()) {
            case TEXT -> {
                if (attempt.firstTokenAt == 0) {
                    attempt.firstTokenAt = System.nanoTime();
                    tools.metrics().firstToken(attempt.target, Duration.ofNanos(attempt.firstTokenAt - attempt.startedAt));
                }
                String text = event.getText().getText();
                emitText(attempt, attempt.trimmer == null ? text : attempt.trimmer.accept(text));
            }
            case TOOL_CALL -> attempt.toolCalls.add(event); // held back until the call has finished
            case DONE -> attempt.done = event.getDone();
            default -> { }
        }
    }

    private void emitText(Attempt attempt, String text) {
        if (text.isEmpty()) {
            return;
        }
        attempt.spoke = true;
        lastSpeaker = attempt.target;
        sent.append(text);
        out.emit(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(text)).build());
    }

    private synchronized void onComplete(Attempt attempt) {
        if (attempt != current || ended) {
            return;
        }
        if (attempt.done == null) {
            onFailure(attempt, Status.UNAVAILABLE
                    .withDescription("llm-adapter ended the stream without finishing").asRuntimeException());
            return;
        }
        finish(attempt);
    }

    private void finish(Attempt attempt) {
        if (attempt.trimmer != null) {
            emitText(attempt, attempt.trimmer.finish());
        }
        attempt.permit.success();
        long now = System.nanoTime();
        tools.metrics().attemptEnded(attempt.target, Duration.ofNanos(now - attempt.startedAt), null);
        tools.metrics().finished(attempt.target, attempt.done.getUsage(),
                attempt.firstTokenAt == 0 ? null : Duration.ofNanos(now - attempt.firstTokenAt));
        attempt.toolCalls.forEach(out::emit);
        GenerateDone.Builder done = attempt.done.toBuilder();
        if (done.getProvider().isEmpty()) {
            done.setProvider(attempt.target.getProvider().getName());
        }
        if (done.getModel().isEmpty()) {
            done.setModel(attempt.target.getModel());
        }
        end();
        out.emit(GenerateEvent.newBuilder().setDone(done).build());
        out.complete();
    }

    private synchronized void onFailure(Attempt attempt, Throwable failure) {
        if (attempt != current || ended) {
            return;
        }
        if (attempt.done != null) {
            finish(attempt); // the answer was whole; only the stream's ending went wrong
            return;
        }
        if (attempt.trimmer != null) {
            emitText(attempt, attempt.trimmer.finish()); // new text is new text, even from a failing call
        }
        FailureKind kind = FailureKind.of(failure);
        String provider = attempt.target.getProvider().getName();
        LOG.debugf("generation %s: %s/%s call %d failed (%s): %s", request.getRequestId(), provider,
                attempt.target.getModel(), attempt.number, kind, failure.getMessage());
        tools.metrics().attemptEnded(attempt.target, Duration.ofNanos(System.nanoTime() - attempt.startedAt), failure);
        if (kind.countsAgainstProvider()) {
            attempt.permit.failure(tools.circuits().now());
        } else {
            attempt.permit.success(); // it answered, if only to say no
        }
        lastFailure = failure;
        if (kind == FailureKind.REQUEST_REJECTED) {
            giveUp();
            return;
        }
        if (kind == FailureKind.RETRYABLE && !attempt.spoke && attempt.number < tools.config().maxAttempts()) {
            Optional<Duration> hint = ErrorCodes.retryAfter(failure);
            if (hint.isPresent() && hint.get().compareTo(tools.config().retryAfterCap()) > 0) {
                tools.circuits().coolDown(provider, hint.get());
            } else if (tools.budget().tryWithdraw()) {
                Duration backoff = Backoff.before(attempt.number, tools.config().backoff());
                Duration wait = hint.filter(h -> h.compareTo(backoff) > 0).orElse(backoff);
                tools.metrics().retry(attempt.target, failure);
                waiting = Uni.createFrom().voidItem().onItem().delayIt().by(wait).subscribe()
                        .with(ignored -> retry(attempt, failure));
                return;
            }
        }
        moveOn(attempt, failure);
    }

    private synchronized void retry(Attempt failed, Throwable failure) {
        if (failed != current || ended) {
            return;
        }
        waiting = null;
        ProviderCircuit.Permit permit = tools.circuits().tryAcquire(failed.target.getProvider().getName());
        if (permit == null) {
            moveOn(failed, failure); // opened meanwhile (by this call's failures or others')
            return;
        }
        call(new Attempt(failed.index, failed.number + 1, permit));
    }

    private void moveOn(Attempt failed, Throwable failure) {
        Status status = Status.fromThrowable(failure);
        moveTo(failed.index + 1, failed.target, ErrorCodes.handoverReason(failure), status.getDescription());
    }

    /** No target is left: an unfinished answer is INCOMPLETE, no answer at all is the last failure. */
    private void giveUp() {
        end();
        if (!sent.isEmpty()) {
            ProfileTarget speaker = lastSpeaker;
            out.emit(GenerateEvent.newBuilder().setDone(GenerateDone.newBuilder()
                    .setFinishReason(FinishReason.FINISH_REASON_INCOMPLETE)
                    .setProvider(speaker.getProvider().getName()).setModel(speaker.getModel())).build());
            out.complete();
        } else if (lastFailure != null) {
            out.fail(lastFailure);
        } else {
            out.fail(allCoolingDown());
        }
    }

    /** Every target's circuit is open: say so at once, with the shortest remaining cool-down as the hint. */
    private Throwable allCoolingDown() {
        Duration soonest = null;
        for (ProfileTarget target : targets) {
            Duration remaining = tools.circuits().remaining(target.getProvider().getName());
            if (soonest == null || remaining.compareTo(soonest) < 0) {
                soonest = remaining;
            }
        }
        if (soonest == null || soonest.isZero()) {
            soonest = PROBE_HINT; // a probe call is under way: its outcome is news soon
        }
        Metadata trailers = new Metadata();
        trailers.put(ErrorCodes.RETRY_AFTER_MS, Long.toString(Math.max(1, soonest.toMillis())));
        return Status.UNAVAILABLE.withDescription("every provider of this profile is cooling down after failures")
                .asRuntimeException(trailers);
    }

    private void end() {
        ended = true;
    }

    /** The caller went away (or the stream ended): stop the call or the wait in flight. */
    private synchronized void stop() {
        if (ended) {
            return;
        }
        ended = true;
        if (waiting != null) {
            waiting.cancel();
        }
        if (current != null) {
            current.permit.release();
            if (current.call != null) {
                current.call.cancel();
            }
        }
    }
}
