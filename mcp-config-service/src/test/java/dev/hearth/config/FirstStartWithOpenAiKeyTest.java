package dev.hearth.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import dev.hearth.proto.v1.GetProfileRequest;
import dev.hearth.proto.v1.MutinyConfigServiceGrpc;
import dev.hearth.proto.v1.Profile;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On first start an API key in the environment picks the default profile's provider. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(FirstStartWithOpenAiKeyTest.WithOpenAiKey.class)
class FirstStartWithOpenAiKeyTest {

    /** An API key in the environment (here: config of the same name) wins. */
    public static class WithOpenAiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("OPENAI_API_KEY", "sk-test-not-a-real-key", "hearth.seed.ollama-url", "http://127.0.0.1:1");
        }

    }

    private static Profile defaultProfile(MutinyConfigServiceGrpc.MutinyConfigServiceStub config) {
        return config.getProfile(GetProfileRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(10));
    }

    @GrpcClient("self")
    MutinyConfigServiceGrpc.MutinyConfigServiceStub config;

    @Test
    void defaultProfileUsesOpenAiWithTheKeyNamedNotStored() {
        Profile profile = defaultProfile(config);
        assertThat(profile.getTargets(0).getProvider().getName()).isEqualTo("openai");
        assertThat(profile.getTargets(0).getProvider().getDialect()).isEqualTo("openai");
        assertThat(profile.getTargets(0).getProvider().getBaseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(profile.getTargets(0).getProvider().getApiKeyEnv()).isEqualTo("OPENAI_API_KEY");
        assertThat(profile.toString()).doesNotContain("sk-test-not-a-real-key");
        assertThat(profile.getTargets(0).getModel()).isEqualTo("gpt-4o-mini");
    }
}
