package dev.hearth.gateway.client;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.proto.grpc.GrpcStreams;
import dev.hearth.proto.v1.ChatEvent;
import dev.hearth.proto.v1.ChatRequest;
import dev.hearth.proto.v1.RouterGrpc;
import dev.hearth.proto.v1.VoiceStart;
import java.util.function.Consumer;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The router's chat stream. The deadline is set per call (a client-wide one would be computed
 * once), and cancelling the stream cancels the call, so a gone client stops the generation.
 */
@ApplicationScoped
public class RouterClient {

    private final RouterGrpc.RouterStub router;
    private final GatewayConfig config;

    // Quarkus injects Mutiny and blocking stubs but not the async one that can cancel; build it.
    public RouterClient(@GrpcClient("router") io.grpc.Channel channel, GatewayConfig config) {
        this.router = RouterGrpc.newStub(channel);
        this.config = config;
    }

    /**
     * Opens a voice turn ({@code Router.Voice}) and sends {@code start}; events, a failure or the
     * end of the router's answer go to the handlers (on gRPC threads, in order).
     */
    public RouterVoiceCall voice(VoiceStart start, Consumer<ChatEvent> onEvent, Consumer<Throwable> onFailure,
            Runnable onCompleted) {
        RouterVoiceCall call = new RouterVoiceCall(onEvent, onFailure, onCompleted);
        call.open(router.withDeadlineAfter(config.routerDeadline().toMillis(), TimeUnit.MILLISECONDS)::voice, start);
        return call;
    }

    public Multi<ChatEvent> chat(ChatRequest request) {
        return Multi.createFrom().deferred(() -> GrpcStreams.openRequestStream(request,
                router.withDeadlineAfter(config.routerDeadline().toMillis(), TimeUnit.MILLISECONDS)::chat));
    }
}
