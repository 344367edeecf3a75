package dev.hearth.router.client;

import io.grpc.Status;
import java.util.function.Predicate;

/** A failure worth retrying: the callee was unreachable or too slow, not an answer like NOT_FOUND. */
public final class TransientGrpcFailure implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable failure) {
        Status.Code code = Status.fromThrowable(failure).getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }
}
