package dev.hearth.llm.grpc;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.hearth.llm.provider.ProviderDialect;
import dev.hearth.llm.provider.ProviderDialects;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.MutinyLlmAdapterGrpc;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The adapter's one RPC: picks the dialect the request names and streams its answer. Runs on
 * the event loop; dialects never block.
 */
@GrpcService
public class LlmAdapterGrpcService extends MutinyLlmAdapterGrpc.LlmAdapterImplBase {

    private static final Logger LOG = Logger.getLogger(LlmAdapterGrpcService.class);

    private final ProviderDialects dialects;
    private final StreamMetrics metrics;

    public LlmAdapterGrpcService(ProviderDialects dialects, StreamMetrics metrics) {
        this.dialects = dialects;
        this.metrics = metrics;
    }

    @Override
    public Multi<GenerateEvent> generate(GenerateRequest request) {
        String dialectName = dialects.find(request.getProvider().getDialect()).map(ProviderDialect::name).orElse("unknown");
        Multi<GenerateEvent> events = Multi.createFrom().deferred(() -> {
            ProviderDialect dialect = dialectFor(request);
            return endsWithOneDone(dialect.generate(request));
        })
                .onFailure().transform(ProviderErrors::toStatus)
                .onFailure().invoke(failure -> log(request, failure));
        return metrics.track(dialectName, events);
    }

    private ProviderDialect dialectFor(GenerateRequest request) {
        if (request.getMessagesCount() == 0) {
            throw ProviderErrors.invalidArgument("messages must not be empty");
        }
        String name = request.getProvider().getDialect();
        if (name.isBlank()) {
            throw ProviderErrors.invalidArgument("provider.dialect is required (one of " + dialects.names() + ")");
        }
        ProviderDialect dialect = dialects.find(name).orElseThrow(() -> Status.UNIMPLEMENTED
                .withDescription("dialect '" + name + "' is not implemented by llm-adapter-service (available: "
                        + String.join(", ", dialects.names()) + ")")
                .asRuntimeException());
        if (dialect.requiresModel() && request.getModel().isBlank()) {
            throw ProviderErrors.invalidArgument("model is required for dialect '" + dialect.name() + "'");
        }
        if (request.getParams().hasMaxTokens() && request.getParams().getMaxTokens() < 1) {
            throw ProviderErrors.invalidArgument("params.max_tokens must be at least 1");
        }
        return dialect;
    }

    /**
     * The contract says exactly one GenerateDone, last. Dialects do that; this makes a slip
     * visible as an error instead of a stream the router would take as silently complete.
     */
    private static Multi<GenerateEvent> endsWithOneDone(Multi<GenerateEvent> events) {
        AtomicBoolean done = new AtomicBoolean();
        return events
                .select().where(event -> !done.get())
                .onItem().invoke(event -> {
                    if (event.hasDone()) {
                        done.set(true);
                    }
                })
                .onCompletion().call(() -> done.get()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(Status.INTERNAL
                                .withDescription("the provider stream ended without a GenerateDone").asRuntimeException()));
    }

    private static void log(GenerateRequest request, Throwable failure) {
        Status status = Status.fromThrowable(failure);
        if (status.getCode() == Status.Code.INTERNAL) {
            LOG.errorf(failure, "Generate %s failed: %s", request.getRequestId(), status);
        } else {
            LOG.debugf("Generate %s ended with %s: %s", request.getRequestId(), status.getCode(), status.getDescription());
        }
    }
}
