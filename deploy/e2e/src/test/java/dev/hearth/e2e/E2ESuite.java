package dev.hearth.e2e;

import dev.hearth.infra.testing.UniqueNames;
import dev.hearth.launcher.RepoLocator;
import dev.hearth.launcher.Suite;
import dev.hearth.launcher.SuiteConfig;
import dev.hearth.launcher.SuiteStartException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged suite as the end-to-end tests run it: started once per test JVM on free ports,
 * with a database, Redis prefix and MQTT topic of its own, on this machine's servers (or embedded
 * ones). Logs stay in {@code deploy/e2e/target/e2e/<database>/logs} for after-the-fact reading.
 */
final class E2ESuite {

    private static Suite suite;
    private static RuntimeException startFailure;

    private E2ESuite() {
    }

    static synchronized Suite get() {
        if (startFailure != null) {
            // One failed start is enough: the next test class would only wait as long again.
            throw new IllegalStateException("the suite did not start (see the first failure)", startFailure);
        }
        if (suite == null) {
            try {
                suite = Suite.start(config());
            } catch (SuiteStartException e) {
                // The test report should say why without digging for the log file.
                startFailure = new IllegalStateException(e.getMessage() + System.lineSeparator()
                        + "--- last lines of its log ---" + System.lineSeparator() + e.logTail(), e);
                throw startFailure;
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            // Backstop if a test run is aborted: close() is idempotent.
            Suite started = suite;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "e2e-suite-stop"));
        }
        return suite;
    }

    /** Stops the suite (again, if already stopped: a no-op) and returns it for inspection. */
    static synchronized Suite close() {
        Suite running = get();
        running.close();
        return running;
    }

    private static SuiteConfig config() {
        Path repo = RepoLocator.searchUpwards(Path.of(""))
                .orElseThrow(() -> new IllegalStateException("run the e2e tests inside the Hearth checkout"));
        String database = UniqueNames.database();
        Path dataDir = repo.resolve("deploy/e2e/target/e2e").resolve(database);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SuiteConfig.Builder builder = SuiteConfig.builder(repo, dataDir)
                .randomPorts()
                .databaseName(database)
                .cleanUpOnClose(true)
                .redisPrefix(UniqueNames.redisPrefix())
                .zigbeeBaseTopic(UniqueNames.zigbeeBaseTopic())
                // A device paired in a test becomes a tool within a second, not the default 15 s.
                .env("HEARTH_MCP_ZIGBEE_TOOLS_REFRESH_INTERVAL", "1s")
                // A device created in a test joins stt-service's command grammar within a second, not 30 s.
                .env("HEARTH_STT_GRAMMAR_REFRESH", "1s")
                // No hosted provider and no reachable Ollama: the default profile falls back to demo.
                .env("HEARTH_OLLAMA_URL", "http://127.0.0.1:1")
                // The keys the fake providers of ProviderDialectsE2ETest expect (test constants, not secrets).
                .env(dev.hearth.llm.testsupport.FakeOpenAiUpstream.API_KEY_ENV, dev.hearth.llm.testsupport.FakeOpenAiUpstream.API_KEY)
                .env(dev.hearth.llm.testsupport.FakeAnthropicUpstream.API_KEY_ENV, dev.hearth.llm.testsupport.FakeAnthropicUpstream.API_KEY)
                .env(dev.hearth.llm.testsupport.FakeGeminiUpstream.API_KEY_ENV, dev.hearth.llm.testsupport.FakeGeminiUpstream.API_KEY)
                .env(dev.hearth.llm.testsupport.FakeOllamaUpstream.API_KEY_ENV, dev.hearth.llm.testsupport.FakeOllamaUpstream.API_KEY);
        // Benchmarks tune the suite with -De2e.env.NAME=value (e.g. HEARTH_STT_VAD_MIN_SILENCE_MS).
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("e2e.env."))
                .forEach(name -> builder.env(name.substring("e2e.env.".length()), System.getProperty(name)));
        for (Map.Entry<String, String> variable : System.getenv().entrySet()) {
            if (variable.getKey().endsWith("_API_KEY")) {
                builder.withoutEnv(variable.getKey());
            }
        }
        return builder.build();
    }
}
