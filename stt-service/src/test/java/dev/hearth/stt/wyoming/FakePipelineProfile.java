package dev.hearth.stt.wyoming;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** The Wyoming server in front of {@link FakeTranscriptionPipeline} instead of the real pipeline; short limits. */
public class FakePipelineProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeTranscriptionPipeline.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("hearth.stt.wyoming-server.max-audio", "5s",
                "hearth.stt.wyoming-server.max-data-bytes", "200000",
                "hearth.stt.wyoming-server.languages", "en,de");
    }
}
