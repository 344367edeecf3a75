package dev.hearth.router.client;

import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.grpc.GrpcStreams;
import dev.hearth.proto.v1.LlmAdapterGrpc;
import dev.hearth.router.config.RouterConfig;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The generate stream of llm-adapter-service, under the router's timeouts: the total one as the
 * call's gRPC deadline, first-token and idle ones on the stream (SmallRye FT cannot guard a Multi).
 */
@ApplicationScoped
public class LlmClient {

    private final LlmAdapterGrpc.LlmAdapterStub llm;
    private final RouterConfig settings;

    // Quarkus injects Mutiny and blocking stubs but not the async one that can cancel; build it.
    public LlmClient(@GrpcClient("llm") io.grpc.Channel channel, RouterConfig settings) {
        this.llm = LlmAdapterGrpc.newStub(channel);
        this.settings = settings;
    }

    public Multi<GenerateEvent> generate(GenerateRequest request) {
        // Cancelling the stream (client gone, timeout) cancels the call, so the provider stops too.
        Multi<GenerateEvent> call = Multi.createFrom().deferred(() -> GrpcStreams.serverStream(request,
                llm.withDeadlineAfter(settings.totalTimeout().toMillis(), TimeUnit.MILLISECONDS)::generate));
        return StreamDeadlines.apply(call, settings.firstTokenTimeout(), settings.idleTimeout());
    }
}
