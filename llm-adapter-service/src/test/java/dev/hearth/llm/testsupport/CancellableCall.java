package dev.hearth.llm.testsupport;

import java.util.concurrent.atomic.AtomicReference;

import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Context;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * A Generate call the test can cancel the way a real client does. In Quarkus 3.32 cancelling
 * the subscription of a Mutiny stub's {@code Multi} does not cancel the gRPC call
 * (quarkusio/quarkus#41776: the stub's observer ignores it); cancelling the gRPC
 * {@link Context} the call was started in does, and sends RST_STREAM to the server.
 */
public final class CancellableCall {

    private final Context.CancellableContext context;
    private final AssertSubscriber<GenerateEvent> subscriber;

    private CancellableCall(Context.CancellableContext context, AssertSubscriber<GenerateEvent> subscriber) {
        this.context = context;
        this.subscriber = subscriber;
    }

    public static CancellableCall start(MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm, GenerateRequest request) {
        Context.CancellableContext context = Context.current().withCancellation();
        AtomicReference<AssertSubscriber<GenerateEvent>> subscriber = new AtomicReference<>();
        // The call captures the current Context when it starts, i.e. on subscription.
        context.run(() -> subscriber.set(llm.generate(request)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE))));
        return new CancellableCall(context, subscriber.get());
    }

    public AssertSubscriber<GenerateEvent> subscriber() {
        return subscriber;
    }

    /** Cancels the call; the subscriber then sees it fail with CANCELLED. */
    public void cancel() {
        context.cancel(null);
    }
}
