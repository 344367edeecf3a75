package dev.hearth.router.client;

import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
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

    private final MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm;
    private final RouterConfig settings;

    public LlmClient(@GrpcClient("llm") MutinyLlmAdapterGrpc.MutinyLlmAdapterStub llm, RouterConfig settings) {
        this.llm = llm;
        this.settings = settings;
    }

    public Multi<GenerateEvent> generate(GenerateRequest request) {
        Multi<GenerateEvent> call = Multi.createFrom().deferred(() -> llm
                .withDeadlineAfter(settings.totalTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .generate(request));
        return StreamDeadlines.apply(call, settings.firstTokenTimeout(), settings.idleTimeout());
    }
}
