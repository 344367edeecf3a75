package dev.hearth.llm.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeAnthropicUpstream} for the Quarkus app under test, and supplies its API key
 * under the env-variable name tests use (keys resolve through MicroProfile Config).
 */
public class FakeAnthropicUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private FakeAnthropicUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = FakeAnthropicUpstream.start();
        return Map.of(FakeAnthropicUpstream.API_KEY_ENV, FakeAnthropicUpstream.API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstream,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeAnthropicUpstream.class, FakeAnthropicUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
