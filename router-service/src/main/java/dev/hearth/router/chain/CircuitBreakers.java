package dev.hearth.router.chain;

import dev.hearth.router.config.ChainConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A circuit per provider (by its configured name): an outage or a rate limit is the provider's, not one model's. */
@ApplicationScoped
public class CircuitBreakers {

    private final Map<String, ProviderCircuit> circuits = new ConcurrentHashMap<>();
    private final ChainClock clock;
    private final ChainMetrics metrics;
    private final int threshold;
    private final long coolDownNanos;

    public CircuitBreakers(ChainClock clock, ChainMetrics metrics, ChainConfig config) {
        this.clock = clock;
        this.metrics = metrics;
        this.threshold = Math.max(1, config.circuit().failureThreshold());
        this.coolDownNanos = config.circuit().coolDown().toNanos();
    }

    /** A permit to call the provider, or null while its circuit is open. */
    ProviderCircuit.Permit tryAcquire(String provider) {
        return circuit(provider).tryAcquire(clock.nanos());
    }

    /** How long the provider stays skipped (zero when it is not open, e.g. a probe is under way). */
    Duration remaining(String provider) {
        return Duration.ofNanos(circuit(provider).remainingNanos(clock.nanos()));
    }

    void coolDown(String provider, Duration pause) {
        circuit(provider).coolDown(clock.nanos(), pause.toNanos());
    }

    long now() {
        return clock.nanos();
    }

    private ProviderCircuit circuit(String provider) {
        return circuits.computeIfAbsent(provider, name -> {
            ProviderCircuit circuit = new ProviderCircuit(threshold, coolDownNanos);
            metrics.circuitState(name, () -> circuit.state(clock.nanos()).gauge);
            return circuit;
        });
    }
}
