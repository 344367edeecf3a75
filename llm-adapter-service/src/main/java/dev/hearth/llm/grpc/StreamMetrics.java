package dev.hearth.llm.grpc;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.hearth.proto.v1.GenerateEvent;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;

/**
 * Streams in flight and how streams end, per dialect: what an operator asks first of an
 * adapter ("is anything stuck?", "which provider is failing, how?").
 */
@ApplicationScoped
public class StreamMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger active;

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.active = registry.gauge("hearth.llm.streams.active", new AtomicInteger());
    }

    public Multi<GenerateEvent> track(String dialect, Multi<GenerateEvent> events) {
        return events
                .onSubscription().invoke(active::incrementAndGet)
                .onTermination().invoke((failure, cancelled) -> {
                    active.decrementAndGet();
                    String outcome = cancelled ? "cancelled"
                            : failure == null ? "ok"
                                    : Status.fromThrowable(failure).getCode().name().toLowerCase(Locale.ROOT);
                    Counter.builder("hearth.llm.streams")
                            .description("Generate streams ended, by dialect and outcome (ok, cancelled, gRPC code)")
                            .tag("dialect", dialect)
                            .tag("outcome", outcome)
                            .register(registry)
                            .increment();
                });
    }

    /** Streams currently running (read by tests and the health check). */
    public int active() {
        return active.get();
    }
}
