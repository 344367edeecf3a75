package dev.hearth.gateway.stream;

import dev.hearth.gateway.config.GatewayConfig;
import dev.hearth.gateway.ws.ClientOutbox.Offer;
import dev.hearth.gateway.ws.ErrorCode;
import dev.hearth.gateway.ws.ServerMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Hands one event to one subscriber and applies the configured policies when that fails: a full
 * send buffer (slow consumer) and a failed send (send-error policy). It never waits, so a slow
 * client cannot slow the stream or its other watchers.
 */
@ApplicationScoped
public class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    public enum Outcome {
        /** Keep the subscriber. */
        KEEP,
        /** Take the subscriber off the stream. */
        DROP,
        /** The send-error policy is {@code throw}: end the stream. */
        FAIL_STREAM
    }

    private final GatewayConfig.Streams config;
    private final ServerMessages messages;
    private final Counter slowDropped;
    private final Counter sendFailed;

    public Delivery(GatewayConfig config, ServerMessages messages, MeterRegistry meters) {
        this.config = config.streams();
        this.messages = messages;
        this.slowDropped = Counter.builder("hearth.gateway.clients.dropped").tag("reason", "slow_consumer")
                .description("Clients taken off a stream").register(meters);
        this.sendFailed = Counter.builder("hearth.gateway.clients.dropped").tag("reason", "send_error")
                .description("Clients taken off a stream").register(meters);
    }

    public Outcome deliver(Subscriber subscriber, String streamId, StreamEvent event, boolean replay) {
        if (event.seq() <= subscriber.lastSeq) {
            return Outcome.KEEP; // already has it
        }
        // A replay may hand over a stream's whole history, each audio event with its frame.
        Offer offer = replay
                ? subscriber.outbox().offerReplay(event.json(), event.frame(), 2 * config.historySize())
                : subscriber.outbox().offerEvent(event.json(), event.frame());
        switch (offer) {
            case QUEUED -> {
                subscriber.lastSeq = event.seq();
                return Outcome.KEEP;
            }
            case FULL -> {
                slowDropped.increment();
                LOG.infof("connection %s dropped from stream %s as a slow consumer at seq %d",
                        subscriber.connectionId(), streamId, subscriber.lastSeq);
                subscriber.outbox().offer(messages.droppedFromStream(subscriber.requestId(), ErrorCode.SLOW_CONSUMER,
                        "taken off the stream for not reading fast enough; subscribe again with after_seq to resume",
                        streamId, subscriber.lastSeq));
                return Outcome.DROP;
            }
            default -> {
                return sendFailed(subscriber, streamId);
            }
        }
    }

    private Outcome sendFailed(Subscriber subscriber, String streamId) {
        switch (config.sendErrorPolicy()) {
            case LOG_AND_CONTINUE -> {
                LOG.debugf("send to connection %s on stream %s failed; kept (log_and_continue)", subscriber.connectionId(), streamId);
                return Outcome.KEEP;
            }
            case THROW -> {
                sendFailed.increment();
                LOG.warnf("send to connection %s on stream %s failed; ending the stream (send-error policy throw)",
                        subscriber.connectionId(), streamId);
                return Outcome.FAIL_STREAM;
            }
            default -> {
                sendFailed.increment();
                LOG.debugf("send to connection %s on stream %s failed; deregistered", subscriber.connectionId(), streamId);
                return Outcome.DROP;
            }
        }
    }
}
