package dev.hearth.llm.client;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Keeps the REST client's late failures of abandoned provider calls out of the error log.
 * <p>
 * When a generation is cancelled (the user stopped it, the idle or total timeout fired) before the
 * provider sent its response headers, the Quarkus REST client cannot abort the request: it finishes
 * later with its own read timeout or a closed connection, into a stream that has already ended, and
 * Mutiny reports that as a dropped exception at ERROR. Those two, and only those, go to DEBUG; every
 * other dropped exception is logged at ERROR as Quarkus does.
 */
@ApplicationScoped
public class LateTimeouts {

    private static final Logger LOG = Logger.getLogger(LateTimeouts.class);

    void install(@Observes StartupEvent started) {
        Infrastructure.setDroppedExceptionHandler(failure -> {
            if (isLateFailureOfAnAbandonedCall(failure)) {
                LOG.debugf("a provider call that was already given up on ended late: %s", failure.getMessage());
            } else {
                // what Quarkus' own handler does
                LOG.error("Mutiny had to drop the following exception", failure);
            }
        });
    }

    static boolean isLateFailureOfAnAbandonedCall(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoStackTraceTimeoutException || cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }
}
