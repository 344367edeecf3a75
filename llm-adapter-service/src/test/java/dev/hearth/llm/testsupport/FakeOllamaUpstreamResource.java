package dev.hearth.llm.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeOllamaUpstream} for the Quarkus app under test, and supplies its API key
 * under the env-variable name tests use (keys resolve through MicroProfile Config).
 */
public class FakeOllamaUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private FakeOllamaUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = FakeOllamaUpstream.start();
        return Map.of(FakeOllamaUpstream.API_KEY_ENV, FakeOllamaUpstream.API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstream,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeOllamaUpstream.class, FakeOllamaUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
