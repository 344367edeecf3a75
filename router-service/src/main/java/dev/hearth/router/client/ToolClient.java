package dev.hearth.router.client;

import dev.hearth.proto.grpc.GrpcStreams;
import dev.hearth.proto.v1.CallToolRequest;
import dev.hearth.proto.v1.CallToolResponse;
import dev.hearth.proto.v1.ListToolsRequest;
import dev.hearth.proto.v1.ListToolsResponse;
import dev.hearth.proto.v1.MutinyToolServiceGrpc;
import dev.hearth.proto.v1.ToolServiceGrpc;
import dev.hearth.router.config.RouterConfig;
import dev.hearth.router.config.ToolsConfig;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The tool catalog and tool calls of mcp-config-service. Listing is a read: a deadline and retries
 * on transient failures. A call is not idempotent (it may switch a light), so it is never retried;
 * its timeout is the call's gRPC deadline, which also tells the callee to stop, and cancelling the
 * returned Uni cancels the call (SmallRye's @Timeout would only abandon it).
 */
@ApplicationScoped
public class ToolClient {

    private final MutinyToolServiceGrpc.MutinyToolServiceStub catalog;
    private final ToolServiceGrpc.ToolServiceStub calls;
    private final RouterConfig router;
    private final ToolsConfig tools;

    // Quarkus injects Mutiny stubs, which do not cancel a call when unsubscribed; the async one can.
    public ToolClient(@GrpcClient("config") MutinyToolServiceGrpc.MutinyToolServiceStub catalog,
            @GrpcClient("config") Channel channel, RouterConfig router, ToolsConfig tools) {
        this.catalog = catalog;
        this.calls = ToolServiceGrpc.newStub(channel);
        this.router = router;
        this.tools = tools;
    }

    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = TransientGrpcFailure.class)
    public Uni<ListToolsResponse> list(String profile) {
        return catalog.withDeadlineAfter(router.configCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .listTools(ListToolsRequest.newBuilder().setProfile(profile).build());
    }

    public Uni<CallToolResponse> call(CallToolRequest request) {
        // collect().last() waits for the end of the call: taking the first item would cancel it.
        return Uni.createFrom().deferred(() -> GrpcStreams.<CallToolRequest, CallToolResponse>serverStream(request,
                        calls.withDeadlineAfter(tools.callTimeout().toMillis(), TimeUnit.MILLISECONDS)::callTool)
                .collect().last());
    }
}
