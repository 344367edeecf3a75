package dev.hearth.config.service;

import dev.hearth.config.config.SeedConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Decides which provider a fresh installation talks to: a hosted provider whose API key is in the
 * environment, else an Ollama answering locally, else the built-in demo provider.
 */
@ApplicationScoped
public class ProviderDetector {

    /** A hosted provider chosen when its key's variable is set. */
    record Hosted(String keyEnv, String name, String dialect, String baseUrl, String defaultModel) {
    }

    /** In order of preference: the first whose key is set wins. */
    static final List<Hosted> HOSTED = List.of(
            new Hosted("OPENAI_API_KEY", "openai", "openai", "https://api.openai.com/v1", "gpt-4o-mini"),
            new Hosted("OPENROUTER_API_KEY", "openrouter", "openai", "https://openrouter.ai/api/v1", "openai/gpt-4o-mini"),
            new Hosted("ANTHROPIC_API_KEY", "anthropic", "anthropic", "https://api.anthropic.com", "claude-haiku-4-5"),
            new Hosted("GEMINI_API_KEY", "gemini", "gemini", "https://generativelanguage.googleapis.com/v1beta",
                    "gemini-2.5-flash"));

    /** How the startup log and the demo choice's reason name the variables looked for. */
    static final String KEY_VARIABLES = "OPENAI_API_KEY, OPENROUTER_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY";

    private final Config config;
    private final SeedConfig seed;
    private final Vertx vertx;

    public ProviderDetector(Config config, SeedConfig seed, Vertx vertx) {
        this.config = config;
        this.seed = seed;
        this.vertx = vertx;
    }

    public Uni<ProviderChoice> detect() {
        Optional<ProviderChoice> hosted = hostedProvider();
        if (hosted.isPresent()) {
            return Uni.createFrom().item(hosted.get());
        }
        return ollamaModel()
                .map(model -> model
                        .map(m -> new ProviderChoice("ollama", "ollama", trimSlash(seed.ollamaUrl()), "", m,
                                "Ollama answers at " + seed.ollamaUrl() + " with model " + m))
                        .orElseGet(() -> ProviderChoice.demo(
                                "no " + KEY_VARIABLES + " in the environment and no Ollama model at "
                                        + seed.ollamaUrl())));
    }

    private Optional<ProviderChoice> hostedProvider() {
        String model = config.getOptionalValue("HEARTH_DEFAULT_MODEL", String.class).filter(m -> !m.isBlank()).orElse(null);
        return HOSTED.stream().filter(h -> present(h.keyEnv())).findFirst()
                .map(h -> new ProviderChoice(h.name(), h.dialect(), h.baseUrl(), h.keyEnv(),
                        model != null ? model : h.defaultModel(), h.keyEnv() + " is set"));
    }

    private boolean present(String name) {
        // MicroProfile Config reads the environment (and lets tests supply the same names).
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isPresent();
    }

    /** The first model a local Ollama lists, if one answers in time. */
    private Uni<Optional<String>> ollamaModel() {
        HttpClient client = vertx.createHttpClient();
        long timeoutMs = seed.probeTimeout().toMillis();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(trimSlash(seed.ollamaUrl()) + "/api/tags")
                .setTimeout(timeoutMs)
                .setConnectTimeout(timeoutMs);
        return client.request(request)
                .chain(req -> req.send())
                .chain(resp -> resp.statusCode() == 200 ? resp.body() : Uni.createFrom().item(Buffer.buffer("{}")))
                .map(body -> firstModel(body.toString()))
                .onFailure().recoverWithItem(Optional.empty())
                .eventually(client::close);
    }

    private static Optional<String> firstModel(String body) {
        try {
            JsonArray models = new JsonObject(body).getJsonArray("models");
            if (models == null || models.isEmpty()) {
                return Optional.empty();
            }
            return Optional.ofNullable(models.getJsonObject(0).getString("name"));
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
