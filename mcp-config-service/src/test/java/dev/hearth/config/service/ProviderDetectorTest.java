package dev.hearth.config.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.config.config.SeedConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which provider a first start picks from the environment. The config here holds only what each
 * test gives it (not this machine's environment), and Ollama is probed on a port nothing listens on.
 */
class ProviderDetectorTest {

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.closeAndAwait();
    }

    private static ProviderChoice detect(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        var config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        SeedConfig seed = new SeedConfig() {
            @Override
            public String ollamaUrl() {
                return "http://127.0.0.1:1";
            }

            @Override
            public Duration probeTimeout() {
                return Duration.ofSeconds(2);
            }
        };
        return new ProviderDetector(config, seed, vertx).detect().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void anthropicKeyPicksClaudeOnTheMessagesApi() {
        ProviderChoice choice = detect("ANTHROPIC_API_KEY", "sk-ant-test-not-a-key");
        assertThat(choice.name()).isEqualTo("anthropic");
        assertThat(choice.dialect()).isEqualTo("anthropic");
        assertThat(choice.baseUrl()).isEqualTo("https://api.anthropic.com");
        assertThat(choice.apiKeyEnv()).isEqualTo("ANTHROPIC_API_KEY");
        assertThat(choice.model()).startsWith("claude-");
        assertThat(choice.reason()).isEqualTo("ANTHROPIC_API_KEY is set").doesNotContain("sk-ant");
    }

    @Test
    void geminiKeyPicksAFlashModel() {
        ProviderChoice choice = detect("GEMINI_API_KEY", "AIza-test-not-a-key");
        assertThat(choice.name()).isEqualTo("gemini");
        assertThat(choice.dialect()).isEqualTo("gemini");
        assertThat(choice.baseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
        assertThat(choice.apiKeyEnv()).isEqualTo("GEMINI_API_KEY");
        assertThat(choice.model()).startsWith("gemini-").contains("flash");
    }

    @Test
    void openAiAndOpenRouterComeBeforeAnthropicAndGemini() {
        assertThat(detect("GEMINI_API_KEY", "g", "ANTHROPIC_API_KEY", "a", "OPENROUTER_API_KEY", "r",
                "OPENAI_API_KEY", "o").name()).isEqualTo("openai");
        assertThat(detect("GEMINI_API_KEY", "g", "ANTHROPIC_API_KEY", "a", "OPENROUTER_API_KEY", "r").name())
                .isEqualTo("openrouter");
        assertThat(detect("GEMINI_API_KEY", "g", "ANTHROPIC_API_KEY", "a").name()).isEqualTo("anthropic");
    }

    @Test
    void blankKeysDoNotCountAndTheDefaultModelOverrides() {
        ProviderChoice choice = detect("OPENAI_API_KEY", " ", "ANTHROPIC_API_KEY", "", "GEMINI_API_KEY", "g",
                "HEARTH_DEFAULT_MODEL", "gemini-2.5-pro");
        assertThat(choice.name()).isEqualTo("gemini");
        assertThat(choice.model()).isEqualTo("gemini-2.5-pro");
    }

    @Test
    void noKeyAndNoOllamaIsTheDemoProviderSayingWhatWasLookedFor() {
        ProviderChoice choice = detect("OPENAI_API_KEY", "", "HEARTH_DEFAULT_MODEL", "");
        assertThat(choice.isDemo()).isTrue();
        assertThat(choice.reason()).contains("OPENAI_API_KEY", "OPENROUTER_API_KEY", "ANTHROPIC_API_KEY",
                "GEMINI_API_KEY", "http://127.0.0.1:1");
    }
}
