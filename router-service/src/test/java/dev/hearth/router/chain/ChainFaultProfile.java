package dev.hearth.router.chain;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An application of its own against {@link FakeLlmAdapter} with short timeouts and waits, four calls
 * per target, a circuit that opens after four consecutive failures and a retry budget that never
 * runs out (ChainBudgetTest has one that does).
 */
public class ChainFaultProfile implements QuarkusTestProfile {

    public static final int MAX_ATTEMPTS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(Map.of(
                "hearth.router.first-token-timeout", "400ms",
                "hearth.router.idle-timeout", "400ms",
                "hearth.router.total-timeout", "20s",
                "hearth.router.chain.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "hearth.router.chain.backoff.initial", "20ms",
                "hearth.router.chain.backoff.max", "100ms",
                "hearth.router.chain.retry-after-cap", "1s",
                "hearth.router.chain.circuit.failure-threshold", "4",
                "hearth.router.chain.circuit.cool-down", "30s",
                "hearth.router.chain.retry-budget.min-retries", "100000"));
        // The chain is under test, not the tool loop: an answer asking for tools ends the turn
        // (tool_calls) instead of starting a tool round (ToolRoundsTest covers those).
        config.put("hearth.router.tools.max-rounds", "0");
        config.putAll(extra());
        // application.properties sets some of these for the test profile: override those too
        Map.copyOf(config).forEach((key, value) -> config.put("%test." + key, value));
        return config;
    }

    protected Map<String, String> extra() {
        return Map.of();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeLlmAdapter.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true; // FakeDownstream would point the clients elsewhere
    }
}
