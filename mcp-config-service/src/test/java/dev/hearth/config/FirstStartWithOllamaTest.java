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

/** On first start, with no key but a local Ollama answering, the default profile uses its first model. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeOllama.class, restrictToAnnotatedClass = true)
@TestProfile(FirstStartWithOllamaTest.WithOllama.class)
class FirstStartWithOllamaTest {

    /** No key, but a local Ollama answers: its first model. */
    public static class WithOllama implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("OPENAI_API_KEY", "", "OPENROUTER_API_KEY", "", "ANTHROPIC_API_KEY", "", "GEMINI_API_KEY", "");
        }

    }

    private static Profile defaultProfile(MutinyConfigServiceGrpc.MutinyConfigServiceStub config) {
        return config.getProfile(GetProfileRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(10));
    }

    @GrpcClient("self")
    MutinyConfigServiceGrpc.MutinyConfigServiceStub config;

    @Test
    void defaultProfileUsesTheLocalOllamasFirstModel() {
        Profile profile = defaultProfile(config);
        assertThat(profile.getTargets(0).getProvider().getName()).isEqualTo("ollama");
        assertThat(profile.getTargets(0).getProvider().getDialect()).isEqualTo("ollama");
        assertThat(profile.getTargets(0).getProvider().getBaseUrl()).doesNotEndWith("/v1").startsWith("http://127.0.0.1:");
        assertThat(profile.getTargets(0).getProvider().getApiKeyEnv()).isEmpty();
        assertThat(profile.getTargets(0).getModel()).isEqualTo("llama3.2:3b");
    }
}
