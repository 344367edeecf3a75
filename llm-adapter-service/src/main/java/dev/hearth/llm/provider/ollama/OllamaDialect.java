package dev.hearth.llm.provider.ollama;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hearth.llm.config.LlmAdapterConfig;
import dev.hearth.llm.provider.ApiKeyResolver;
import dev.hearth.llm.provider.ProviderDialect;
import dev.hearth.llm.provider.ProviderErrors;
import dev.hearth.llm.provider.TotalTimeout;
import dev.hearth.proto.v1.GenerateEvent;
import dev.hearth.proto.v1.GenerateRequest;
import dev.hearth.proto.v1.ProviderRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;

/**
 * Ollama's native API ({@code POST {base_url}/api/chat}, NDJSON), local or ollama.com. Unlike
 * its OpenAI-compatible {@code /v1} it continues a final assistant message (prefill), reports
 * why it stopped and its token counts on every answer, and takes Ollama's own options
 * ({@code num_ctx}, {@code keep_alive}, {@code think}).
 */
@ApplicationScoped
public class OllamaDialect implements ProviderDialect {

    public static final String NAME = "ollama";

    private final OllamaChatClients clients;
    private final ApiKeyResolver keys;
    private final ObjectMapper json;
    private final LlmAdapterConfig.Upstream upstream;

    public OllamaDialect(OllamaChatClients clients, ApiKeyResolver keys, ObjectMapper json, LlmAdapterConfig config) {
        this.clients = clients;
        this.keys = keys;
        this.json = json;
        this.upstream = config.upstream();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Multi<GenerateEvent> generate(GenerateRequest request) {
        // Deferred: each subscription gets its own decoder, and bad input fails the stream.
        Multi<GenerateEvent> events = Multi.createFrom().deferred(() -> {
            ProviderRef provider = request.getProvider();
            String providerName = providerName(request);
            URI baseUri = OllamaBaseUrl.of(provider.getBaseUrl());
            String authorization = authorization(provider, providerName);
            ObjectNode body = OllamaChatRequestBody.from(request, json);
            OllamaChatStreamDecoder decoder = new OllamaChatStreamDecoder(json, providerName, request.getModel());

            return clients.forBaseUri(baseUri).streamChat(authorization, body)
                    .ifNoItem().after(upstream.idleTimeout()).failWith(() -> silent(providerName))
                    .onItem().transformToIterable(decoder::decode)
                    // The done line's GenerateDone ends the answer: stop there rather than wait for
                    // the server to end the body (a server that then hangs loses nothing of it).
                    .select().first(event -> !event.hasDone())
                    .onFailure(failure -> decoder.finished()).recoverWithCompletion()
                    .onFailure().transform(failure -> ProviderErrors.fromFailure(providerName, failure))
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

    private String authorization(ProviderRef provider, String providerName) {
        String envName = provider.getApiKeyEnv().strip();
        if (envName.isEmpty()) {
            return null; // a local Ollama wants no key; ollama.com or a proxy in front does
        }
        String key = keys.resolve(envName).orElseThrow(() -> Status.UNAUTHENTICATED
                .withDescription("provider '" + providerName + "' takes its API key from " + envName
                        + ", which is not set in llm-adapter-service's environment")
                .asRuntimeException());
        return "Bearer " + key;
    }

    private static String providerName(GenerateRequest request) {
        String name = request.getProvider().getName();
        return name.isBlank() ? NAME : name;
    }
}
