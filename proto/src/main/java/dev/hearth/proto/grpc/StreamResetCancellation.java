package dev.hearth.proto.grpc;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Delivers a client's cancel to the call, which Quarkus 3.32 does not do on its own here.
 *
 * <p>With gRPC on the shared HTTP server ({@code use-separate-server=false}), a RST_STREAM that
 * arrives after the client half-closed (that is, every cancel of a server-streaming call such
 * as Generate) only reaches the HTTP response, never {@code ServerCall.Listener.onCancel}
 * (eclipse-vertx/vert.x#5562, quarkusio/quarkus#56268). The stream would run on to its end,
 * and the provider would bill tokens nobody reads. The response does see the reset: this
 * relays it as {@code onCancel}, which makes the Mutiny server cancel the {@code Multi}.
 * Harmless once fixed upstream: each call is cancelled at most once.
 *
 * <p>Global, and shipped with the contracts, so every service's streaming calls behave alike.
 */
@GlobalInterceptor
@ApplicationScoped
public class StreamResetCancellation implements ServerInterceptor {

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        Context context = Vertx.currentContext();
        RoutingContext routing = context == null ? null : routingContext(context);
        ServerCall.Listener<ReqT> listener = next.startCall(call, headers);
        if (routing == null) {
            return listener; // a separate gRPC server (grpc-java) delivers cancels itself
        }
        AtomicBoolean over = new AtomicBoolean();
        routing.addEndHandler(ended -> {
            // failed = the response was reset or its connection closed before the call ended it
            if (ended.failed() && over.compareAndSet(false, true)) {
                context.runOnContext(ignored -> listener.onCancel());
            }
        });
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                if (over.compareAndSet(false, true)) {
                    super.onCancel();
                }
            }

            @Override
            public void onComplete() {
                over.set(true);
                super.onComplete();
            }
        };
    }

    // Quarkus puts the request's RoutingContext there while the gRPC server handles it.
    @SuppressWarnings("deprecation")
    private static RoutingContext routingContext(Context context) {
        Object local = context.getLocal(RoutingContext.class.getName());
        return local instanceof RoutingContext routing ? routing : null;
    }
}
