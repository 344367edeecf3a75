package dev.hearth.gateway.client;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.MutinyRouterGrpc;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** The router's chat stream, with a deadline set per call (a client-wide one would be computed once). */
@ApplicationScoped
public class RouterClient {

    private final MutinyRouterGrpc.MutinyRouterStub router;
    private final GatewayConfig config;

    public RouterClient(@GrpcClient("router") MutinyRouterGrpc.MutinyRouterStub router, GatewayConfig config) {
        this.router = router;
        this.config = config;
    }

    public Multi<ChatEvent> chat(ChatRequest request) {
        return Multi.createFrom().deferred(() -> router
                .withDeadlineAfter(config.routerDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .chat(request));
    }
}
