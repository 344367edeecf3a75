package dev.hearth.llm.provider.gemini;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hearth.llm.config.GeminiConfig;
import dev.hearth.llm.config.LlmAdapterConfig;
import dev.hearth.llm.provider.ApiKeyResolver;
import dev.hearth.llm.provider.ProviderDialect;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.provider.TotalTimeout;
import dev.hearth.llm.provider.gemini.GeminiRequestBody.ContinueMode;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;

/**
 * Google's Gemini API: {@code POST {base_url}/models/{model}:streamGenerateContent?alt=sse},
 * key in {@code x-goog-api-key}. {@code base_url} defaults to
 * {@code hearth.llm.gemini.default-base-url} (the public v1beta API).
 */
@ApplicationScoped
public class GeminiDialect implements ProviderDialect {

    public static final String NAME = "gemini";

    // Marks the end of a chunk that carried the finish reason (compared by identity).
    private static final GenerateEvent END = GenerateEvent.newBuilder().build();

    private final GeminiClients clients;
    private final ApiKeyResolver keys;
    private final ObjectMapper json;
    private final LlmAdapterConfig.Upstream upstream;
    private final GeminiConfig config;

    public GeminiDialect(GeminiClients clients, ApiKeyResolver keys, ObjectMapper json, LlmAdapterConfig adapterConfig,
            GeminiConfig config) {
        this.clients = clients;
        this.keys = keys;
        this.json = json;
        this.upstream = adapterConfig.upstream();
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Multi<GenerateEvent> generate(GenerateRequest request) {
        Multi<GenerateEvent> events = Multi.createFrom().deferred(() -> {
            ProviderRef provider = request.getProvider();
            String providerName = providerName(request);
            ContinueMode continueMode = ContinueMode.of(provider.getOptionsMap());
            GeminiClient client = clients.forBaseUri(baseUri(provider.getBaseUrl()));
            String apiKey = apiKey(provider, providerName);
            String model = modelId(request.getModel());
            boolean userTurn = continueMode == ContinueMode.USER_TURN;
            Multi<String> chunks = client.streamGenerateContent(model, GeminiClient.SSE, apiKey,
                    GeminiRequestBody.from(request, json, userTurn, config.continueInstruction()));
            if (request.getContinueFinalMessage() && continueMode == ContinueMode.AUTO) {
                // Models differ: most continue a trailing model turn, newer ones refuse it with a
                // 400 before anything streams. Then ask in words instead.
                chunks = chunks.onFailure(GeminiErrors::refusesTrailingModelTurn).recoverWithMulti(
                        () -> client.streamGenerateContent(model, GeminiClient.SSE, apiKey,
                                GeminiRequestBody.from(request, json, true, config.continueInstruction())));
            }
            GeminiStreamDecoder decoder = new GeminiStreamDecoder(json, providerName, request.getModel());

            return chunks
                    .ifNoItem().after(upstream.idleTimeout()).failWith(() -> silent(providerName))
                    .onItem().transformToIterable(data -> {
                        List<GenerateEvent> decoded = decoder.decode(data);
                        if (!decoder.finished()) {
                            return decoded;
                        }
                        List<GenerateEvent> last = new ArrayList<>(decoded);
                        last.add(END);
                        return last;
                    })
                    // The finish reason is the last word: stop there, closing the response, rather
                    // than wait for the server to end it.
                    .select().first(event -> event != END)
                    .onFailure().transform(failure -> GeminiErrors.fromFailure(providerName, failure))
                    .onCompletion().switchTo(() -> decoder.finished()
                            ? Multi.createFrom().item(decoder.done())
                            : Multi.createFrom().failure(ProviderErrors.truncated(providerName)));
        });
        return TotalTimeout.within(events, upstream.totalTimeout(),
                () -> Status.DEADLINE_EXCEEDED.withDescription("provider '" + providerName(request)
                        + "' did not finish within " + upstream.totalTimeout() + " (hearth.llm.upstream.total-timeout)")
                        .asRuntimeException());
    }

    private StatusRuntimeException silent(String providerName) {
        return Status.DEADLINE_EXCEEDED.withDescription("provider '" + providerName + "' sent nothing for "
                + upstream.idleTimeout() + " (the idle timeout, hearth.llm.upstream.idle-timeout)").asRuntimeException();
    }

    private String apiKey(ProviderRef provider, String providerName) {
        String envName = provider.getApiKeyEnv().strip();
        if (envName.isEmpty()) {
            return null; // a proxy in front of Gemini that adds the key itself
        }
        return keys.resolve(envName).orElseThrow(() -> Status.UNAUTHENTICATED
                .withDescription("provider '" + providerName + "' takes its API key from " + envName
                        + ", which is not set in llm-adapter-service's environment")
                .asRuntimeException());
    }

    // "models/gemini-2.5-flash" (as Google's model list names them) and "gemini-2.5-flash" alike.
    private static String modelId(String model) {
        String id = model.strip();
        return id.startsWith("models/") ? id.substring("models/".length()) : id;
    }

    private URI baseUri(String baseUrl) {
        String trimmed = baseUrl.strip();
        if (trimmed.isEmpty()) {
            trimmed = config.defaultBaseUrl().strip();
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null) {
                throw ProviderErrors.invalidArgument("provider.base_url must be an http(s) URL, not '" + baseUrl + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ProviderErrors.invalidArgument("provider.base_url is not a URL: '" + baseUrl + "'");
        }
    }

    private static String providerName(GenerateRequest request) {
        String name = request.getProvider().getName();
        return name.isBlank() ? NAME : name;
    }
}
