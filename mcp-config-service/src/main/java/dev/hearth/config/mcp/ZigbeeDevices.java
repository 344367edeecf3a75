package dev.hearth.config.mcp;

import dev.hearth.proto.v1.CommandResult;
import dev.hearth.proto.v1.Device;
import dev.hearth.proto.v1.GetDeviceRequest;
import dev.hearth.proto.v1.ListDevicesRequest;
import dev.hearth.proto.v1.MutinyZigbeeGrpc.MutinyZigbeeStub;
import dev.hearth.proto.v1.SetStateRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * zigbee-service's devices, for the home tools and resources. Every call has its own deadline (a
 * client-wide one would be computed once, at injection). Reads are retried, with jitter, while the
 * service is UNAVAILABLE; a command is never retried: it may have switched the light already.
 */
@ApplicationScoped
public class ZigbeeDevices {

    /** What a command's deadline adds to the time zigbee-service may wait for the bridge. */
    static final long COMMAND_MARGIN_MS = 2000;

    private final MutinyZigbeeStub zigbee;
    private final McpConfig.Zigbee config;

    public ZigbeeDevices(@GrpcClient("zigbee") MutinyZigbeeStub zigbee, McpConfig config) {
        this.zigbee = zigbee;
        this.config = config.zigbee();
    }

    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = Unavailable.class)
    public Uni<List<Device>> list() {
        return zigbee.withDeadlineAfter(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .listDevices(ListDevicesRequest.getDefaultInstance())
                .map(response -> response.getDevicesList());
    }

    /** Fails with NOT_FOUND for an unknown device. */
    @Retry(maxRetries = 2, delay = 100, jitter = 50)
    @RetryWhen(exception = Unavailable.class)
    public Uni<Device> get(String device) {
        return zigbee.withDeadlineAfter(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getDevice(GetDeviceRequest.newBuilder().setDevice(device).build());
    }

    public Uni<CommandResult> set(String device, JsonObject state, boolean confirmed) {
        long confirmMs = config.confirmTimeout().toMillis();
        return zigbee.withDeadlineAfter(confirmMs + COMMAND_MARGIN_MS, TimeUnit.MILLISECONDS)
                .setState(SetStateRequest.newBuilder().setDevice(device).setStateJson(state.encode())
                        .setTimeoutMs((int) confirmMs).setConfirmed(confirmed).build());
    }

    /** Retry only what another attempt can fix: the service (or the way to it) being down. */
    public static final class Unavailable implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
        }
    }
}
