package dev.hearth.llm.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeGeminiUpstream} for the Quarkus app under test, and supplies its API key (and a wrong one)
 * under the env-variable name tests use (keys are resolved through MicroProfile Config).
 */
public class FakeGeminiUpstreamResource implements QuarkusTestResourceLifecycleManager {

    /** An env-variable name holding a key the fake does not accept. */
    public static final String WRONG_KEY_ENV = "HEARTH_TEST_GEMINI_WRONG_KEY";

    private FakeGeminiUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = FakeGeminiUpstream.start();
        return Map.of(FakeGeminiUpstream.API_KEY_ENV, FakeGeminiUpstream.API_KEY, WRONG_KEY_ENV, "AIzaNotTheKey-0000");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstream,
                new TestInjector.AnnotatedAndMatchesType(InjectFakeGeminiUpstream.class, FakeGeminiUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
