package dev.hearth.llm.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeOpenAiUpstream} for the Quarkus app under test. It also supplies the
 * fake's API key under the env-variable name tests use: the adapter resolves keys through
 * MicroProfile Config, which is where test resources put their properties.
 */
public class FakeOpenAiUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private FakeOpenAiUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = FakeOpenAiUpstream.start();
        return Map.of(FakeOpenAiUpstream.API_KEY_ENV, FakeOpenAiUpstream.API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstream,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeOpenAiUpstream.class, FakeOpenAiUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
