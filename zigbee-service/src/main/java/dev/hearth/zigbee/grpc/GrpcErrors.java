package dev.hearth.zigbee.grpc;

import dev.hearth.zigbee.expose.InvalidStateException;
import dev.hearth.zigbee.service.CommandRefused;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/** One mapping of the service's refusals onto gRPC statuses, with the reason in the description. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static Throwable toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException) {
            return failure;
        }
        if (failure instanceof InvalidStateException invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.code() + ": " + invalid.getMessage())
                    .asRuntimeException();
        }
        if (failure instanceof CommandRefused refused) {
            Status status = switch (refused.reason()) {
                case NOT_FOUND -> Status.NOT_FOUND;
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case CONFIRMATION_REQUIRED, BRIDGE_REFUSED -> Status.FAILED_PRECONDITION;
                case BRIDGE_TIMEOUT -> Status.DEADLINE_EXCEEDED;
            };
            return status.withDescription(refused.getMessage()).asRuntimeException();
        }
        LOG.error("Unexpected failure in zigbee-service", failure);
        return Status.INTERNAL.withDescription("zigbee-service failed: " + failure).asRuntimeException();
    }
}
